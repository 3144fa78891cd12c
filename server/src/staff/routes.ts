// Everything under /api/v1/staff: sign-in routes, then one guarded subtree
// per role group (cases and teams; oversight; admin). Each subtree is its
// own plugin, so its guard cannot leak onto another's routes.
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { adminRoutes } from './admin.ts';
import { authRoutes } from './auth-routes.ts';
import { caseRoutes } from './case-routes.ts';
import { oversightRoutes } from './oversight.ts';

export const STAFF_PREFIX = '/api/v1/staff';

export const staffRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(authRoutes, { ctx });
  await app.register(caseRoutes, { ctx });
  await app.register(oversightRoutes, { ctx });
  await app.register(adminRoutes, { ctx });
};
