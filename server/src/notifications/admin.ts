// The administrator's notification changes, each with its audit entry in the
// same transaction. The entry records which account and whether an address is
// set, never the address itself (the audit log holds ids and codes only).
import type { OrgSettingsInput } from '../../../shared/src/api/notifications.ts';
import { auditIn } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { setAccountEmail, setOrgSettings } from './service.ts';

export async function changeAccountEmail(ctx: AppContext, actor: string, id: string, email: string | null): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await setAccountEmail(tx, id, email);
    await auditIn(ctx, tx, { actor, action: 'admin.account_email', detail: { id, set: email !== null } });
  });
}

export async function changeOrgSettings(ctx: AppContext, actor: string, s: OrgSettingsInput): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await setOrgSettings(tx, s);
    await auditIn(ctx, tx, {
      actor, action: 'admin.notifications',
      detail: { windowStart: s.windowStart, windowEnd: s.windowEnd, batchMinutes: s.batchMinutes, offForAll: [...s.offForAll] },
    });
  });
}
