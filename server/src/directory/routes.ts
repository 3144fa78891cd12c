// /api/v1/staff/keys/* (triage and lead) and /api/v1/staff/admin/key-* (admin). HTTP only:
// service.ts decides, certificates.ts holds the SQL.
import { CertificateInstalled, CertifyBody, InstallCertificateBody, KeyChangesResponse, SigningKeyBody, SigningRequestsResponse, TeamKeysResponse } from '../../../shared/src/api/keys.ts';
import { TeamParams } from '../../../shared/src/api/staff.ts';
import { audit } from '../audit/log.ts';
import { principal, requireRole } from '../auth/session.ts';
import type { AppContext } from '../context.ts';
import type { TypedPlugin } from '../plugins/typebox.ts';
import { certifyMember, installOrgCertificate, registerSigningKey } from './service.ts';
import { recentChanges, signingRequests, teamKeys } from './view.ts';

export const keysRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['triage', 'lead']));

  app.get('/keys/changes', { schema: { response: { 200: KeyChangesResponse } } },
    async (req) => ({ changes: await recentChanges(ctx.db, principal(req).teams, ctx.today()) }));

  app.get('/keys/teams/:id', { schema: { params: TeamParams, response: { 200: TeamKeysResponse } } },
    async (req) => teamKeys(ctx.db, principal(req), req.params.id));

  app.post('/keys/certify', { schema: { body: CertifyBody, response: { 201: CertificateInstalled } } }, async (req, reply) => {
    const p = principal(req);
    const hash = await certifyMember(ctx.db, p, req.body, ctx.today(), ctx.now());
    await audit(ctx, { actor: p.id, action: 'keys.certify', detail: { staffId: req.body.staffId } });
    return reply.code(201).send({ hash });
  });

  app.post('/keys/signing-key', { schema: { body: SigningKeyBody } }, async (req, reply) => {
    const p = principal(req);
    await registerSigningKey(ctx.db, p, req.body.publicKey);
    await audit(ctx, { actor: p.id, action: 'keys.signing_key', detail: {} });
    return reply.code(204).send();
  });
};

export const keysAdminRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, ['admin']));

  app.get('/admin/key-requests', { schema: { response: { 200: SigningRequestsResponse } } }, async () => signingRequests(ctx.db));

  // The administrator only carries the organisation's signature here; the server checks it against the installed organisation key.
  app.post('/admin/key-certificates', { schema: { body: InstallCertificateBody, response: { 201: CertificateInstalled } } }, async (req, reply) => {
    const actor = principal(req).id;
    const hash = await installOrgCertificate(ctx.db, req.body.certificate, req.body.staffId, actor, ctx.today());
    await audit(ctx, { actor, action: 'keys.install', detail: { staffId: req.body.staffId } });
    return reply.code(201).send({ hash });
  });
};

