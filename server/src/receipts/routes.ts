// Receipts: the published public keys (anyone, no session), and the staff check of
// a receipt against what a case holds (triage and leads of the case's team, audited).
import type { TypedPlugin } from '../plugins/typebox.ts';
import { ReceiptCheckBody, ReceiptCheckResponse, ReceiptKeysResponse } from '../../../shared/src/api/receipts.ts';
import { RefParams } from '../../../shared/src/api/staff.ts';
import type { ReceiptKey } from '../../../shared/src/crypto/receipt.ts';
import { principal, requireRole } from '../auth/session.ts';
import { auditIn } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { access } from '../triage/access.ts';
import { checkReceipt, publishedKeys } from './service.ts';

export interface ReceiptOptions {
  ctx: AppContext;
  /** Public keys of earlier receipt keys, still published so older receipts verify. */
  previous?: readonly ReceiptKey[];
}

export const receiptKeyRoutes: TypedPlugin<ReceiptOptions> = async (app, { ctx, previous }) => {
  app.get('/api/v1/receipts/keys', {
    schema: { response: { 200: ReceiptKeysResponse } },
    config: { rateLimit: ctx.limits.intake },
  }, async () => publishedKeys(ctx.serverKeys, previous));
};

/** Registered under the staff prefix. */
export const receiptCheckRoutes: TypedPlugin<ReceiptOptions> = async (app, { ctx, previous }) => {
  app.addHook('onRequest', requireRole(ctx, ['triage', 'lead']));
  const keys = publishedKeys(ctx.serverKeys, previous);
  const trusted = [keys.current, ...keys.previous];

  app.post('/cases/:ref/receipt-check', {
    schema: { params: RefParams, body: ReceiptCheckBody, response: { 200: ReceiptCheckResponse } },
    bodyLimit: 16 * 1024,
  }, async (req) => {
    const p = principal(req);
    const a = await access(ctx.db, p, req.params.ref);
    return checkReceipt(ctx.db, trusted, { id: a.row.id, caseRef: a.row.case_ref }, req.body.receipt,
      (tx, r) => auditIn(ctx, tx, { actor: p.id, action: 'case.receipt_check', caseRef: a.row.case_ref, detail: { result: r.result, kind: r.record?.kind ?? null } }));
  });
};
