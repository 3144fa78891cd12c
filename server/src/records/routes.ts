import type { TypedPlugin } from '../plugins/typebox.ts';
import { Type } from '@sinclair/typebox';
import { NewRecordBody, NewRecordEntryBody, NewRecordEntryResponse, NewRecordResponse, RecordResponse } from '../../../shared/src/api/record.ts';
import { SubmitReportBody, SubmitReportResponse } from '../../../shared/src/api/schemas.ts';
import { POW_HEADER } from '../../../shared/src/crypto/pow.ts';
import type { AppContext } from '../context.ts';
import { padResponse } from '../plugins/pad.ts';
import { issueReceipt, sealedHashOf } from '../receipts/service.ts';
import { databaseChunkStore } from '../attachments/store.ts';
import { addEntry, authenticate, createRecord, deleteRecord, recordToReport, recordView } from './service.ts';

export const recordRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  const rateLimit = ctx.limits.case;
  // Creating a record, adding an entry and turning it into a report are anonymous writes: a stamp first.
  const stamped = async (req: { headers: Record<string, string | string[] | undefined> }) => ctx.pow.spend(req.headers[POW_HEADER] as string | undefined);
  // Turning a record into a report opens a case for a team, so it shares the all-clients brake with new reports
  // (taken after the stamp, so requests without a valid one never use up genuine reporters' room).
  const reportsBrake = ctx.sharedBucket('reports', ctx.limits.reportsGlobal);

  app.post('/api/v1/records', {
    schema: { body: NewRecordBody, response: { 201: NewRecordResponse } },
    bodyLimit: 4 * 1024,
    config: { rateLimit: ctx.limits.reports },
    onRequest: stamped,
  }, async (req, reply) => reply.code(201).send(await createRecord(ctx.db, req.body, ctx.today())));

  app.get('/api/v1/record', {
    schema: { response: { 200: RecordResponse } },
    config: { rateLimit },
    // Its length would follow the number of entries: padded to 64 KiB steps like the case view.
    onSend: padResponse,
  }, async (req) => recordView(ctx.db, await authenticate(ctx.db, req.headers.authorization)));

  app.post('/api/v1/record/entries', {
    schema: { body: NewRecordEntryBody, response: { 201: NewRecordEntryResponse } },
    bodyLimit: 132 * 1024,
    config: { rateLimit },
    onRequest: stamped,
  }, async (req, reply) => {
    const row = await authenticate(ctx.db, req.headers.authorization);
    return reply.code(201).send(await addEntry(ctx.db, row, req.body, ctx.today(), (i) => issueReceipt(ctx.serverKeys, i)));
  });

  app.delete('/api/v1/record', {
    schema: { response: { 204: Type.Null() } },
    config: { rateLimit },
  }, async (req, reply) => {
    await deleteRecord(ctx.db, databaseChunkStore(ctx.db), await authenticate(ctx.db, req.headers.authorization));
    return reply.code(204).send(null);
  });

  app.post('/api/v1/record/report', {
    schema: { body: SubmitReportBody, response: { 201: SubmitReportResponse } },
    bodyLimit: 512 * 1024,
    config: { rateLimit: ctx.limits.reports },
    onRequest: stamped,
    preHandler: async () => reportsBrake.take(),
  }, async (req, reply) => {
    const row = await authenticate(ctx.db, req.headers.authorization);
    const stored = await recordToReport(ctx.db, row, req.body, ctx.today(), ctx.now());
    // As for POST /reports: the covering note's receipt, signed once the case is committed.
    const receipt = issueReceipt(ctx.serverKeys, { kind: 'report', reference: stored.caseRef, sealedHash: sealedHashOf(req.body.report), day: stored.receivedOn });
    return reply.code(201).send({ ...stored, receipt });
  });
};
