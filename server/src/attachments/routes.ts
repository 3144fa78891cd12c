// Upload and download of sealed attachments: HTTP only. Reporters prove their
// token (Authorization: Case …, or Record … for a private record's files) on every step and spend a proof-of-work stamp
// to start an upload, as for any anonymous write; staff act through their
// session on a case they may act on. Chunk bodies are raw bytes
// (application/octet-stream), accepted only on these routes.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ATTACHMENT_LIMITS } from '../../../shared/src/api/domain.ts';
import {
  CaseChunkParams, CaseUploadParams, ChunkParams, CompleteUploadResponse, PutChunkResponse, StartUploadBody, UploadParams,
  UploadStatusResponse,
} from '../../../shared/src/api/attachments.ts';
import { EmptyBody, RefParams } from '../../../shared/src/api/staff.ts';
import { POW_HEADER } from '../../../shared/src/crypto/pow.ts';
import { principal, requireRole } from '../auth/session.ts';
import { auditIn } from '../audit/log.ts';
import { tokenHolder } from '../case/service.ts';
import { authenticate as authenticateRecord, RECORD_SCHEME } from '../records/service.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../plugins/errors.ts';
import { absentBodyIsEmpty, type TypedPlugin } from '../plugins/typebox.ts';
import { access, readAccess } from '../triage/access.ts';
import { CASE_ROLES } from '../triage/routes.ts';
import { completeUpload, putChunk, readChunk, startUpload, uploadStatus, type Attachments, type Uploader } from './service.ts';
import { databaseChunkStore } from './store.ts';
import { issueReceipt, type Receipt } from '../receipts/service.ts';
import type { CompleteUpload } from '../../../shared/src/api/attachments.ts';

const CHUNK = ATTACHMENT_LIMITS.sealedChunkBytes;
/** Documents the raw chunk in OpenAPI; the handler checks its length. */
const binary = { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } as const;

function acceptChunks(app: FastifyInstance): void {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: CHUNK }, (_req, body, done) => done(null, body));
}

/** The receipt for a completed file of case `caseRef`: its attachment hash, on the day its last chunk was stored. */
const attachmentReceipt = (ctx: AppContext, caseRef: string, done: CompleteUpload): Receipt =>
  issueReceipt(ctx.serverKeys, { kind: 'attachment', reference: caseRef, sealedHash: done.hash, day: done.on });

const sendChunk = (reply: FastifyReply, bytes: Uint8Array) =>
  reply.type('application/octet-stream').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export const reporterUploadRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  acceptChunks(app);
  const a: Attachments = { db: ctx.db, store: databaseChunkStore(ctx.db) };
  const rateLimit = ctx.limits.uploads;
  const who = async (header: string | undefined): Promise<Uploader> => {
    // A private record's holder uploads on the same routes with the record token's access key.
    if (header?.startsWith(RECORD_SCHEME)) {
      const r = await authenticateRecord(ctx.db, header);
      return { kind: 'holder', accessHash: r.access_hash, recordId: r.id };
    }
    const h = await tokenHolder(ctx.db, header);
    return { kind: 'reporter', accessHash: h.accessHash, row: h.row };
  };

  app.post('/api/v1/uploads', {
    schema: { body: StartUploadBody, response: { 201: UploadStatusResponse } },
    config: { rateLimit },
    onRequest: async (req) => ctx.pow.spend(req.headers[POW_HEADER]),
  }, async (req, reply) => reply.code(201).send(await startUpload(a, await who(req.headers.authorization), req.body, ctx.today())));

  app.get('/api/v1/uploads/:id', {
    schema: { params: UploadParams, response: { 200: UploadStatusResponse } },
    config: { rateLimit },
  }, async (req) => uploadStatus(a, await who(req.headers.authorization), req.params.id));

  app.put('/api/v1/uploads/:id/chunks/:index', {
    schema: { params: ChunkParams, response: { 200: PutChunkResponse } },
    bodyLimit: CHUNK,
    config: { rateLimit },
  }, async (req) => putChunk(a, await who(req.headers.authorization), req.params.id, Number(req.params.index), req.body));

  app.post('/api/v1/uploads/:id/complete', {
    schema: { params: UploadParams, body: EmptyBody, response: { 200: CompleteUploadResponse } },
    config: { rateLimit },
    preValidation: absentBodyIsEmpty,
  }, async (req) => {
    const uploader = await who(req.headers.authorization);
    const done = await completeUpload(a, uploader, req.params.id, ctx.today());
    // A file added to a case that exists already is filed now: signed once complete. A file for a report not yet
    // sent gets its receipt in the report's answer, under the reference the case is given then; a record's file
    // in the answer of the entry that names it.
    return uploader.kind === 'reporter' && uploader.row ? { ...done, receipt: attachmentReceipt(ctx, uploader.row.case_ref, done) } : done;
  });

  app.get('/api/v1/case/attachments/:id/chunks/:index', {
    schema: { params: ChunkParams, response: { 200: binary } },
    config: { rateLimit },
  }, async (req, reply) => {
    const h = await tokenHolder(ctx.db, req.headers.authorization);
    if (!h.row) throw new ApiError('case_not_found');
    return sendChunk(reply, await readChunk(a, h.row.id, req.params.id, Number(req.params.index)));
  });

  app.get('/api/v1/record/attachments/:id/chunks/:index', {
    schema: { params: ChunkParams, response: { 200: binary } },
    config: { rateLimit },
  }, async (req, reply) => {
    const r = await authenticateRecord(ctx.db, req.headers.authorization);
    return sendChunk(reply, await readChunk(a, { recordId: r.id }, req.params.id, Number(req.params.index)));
  });
};

export const staffUploadRoutes: TypedPlugin<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', requireRole(ctx, CASE_ROLES));
  acceptChunks(app);
  const a: Attachments = { db: ctx.db, store: databaseChunkStore(ctx.db) };
  const who = async (req: { params: { ref: string } } & Parameters<typeof principal>[0]): Promise<Uploader> => {
    const acc = await access(ctx.db, principal(req), req.params.ref);
    return { kind: 'triage', staffId: principal(req).id, row: acc.row };
  };

  app.post('/cases/:ref/uploads', {
    schema: { params: RefParams, body: StartUploadBody, response: { 201: UploadStatusResponse } },
  }, async (req, reply) => reply.code(201).send(await startUpload(a, await who(req), req.body, ctx.today())));

  app.get('/cases/:ref/uploads/:id', {
    schema: { params: CaseUploadParams, response: { 200: UploadStatusResponse } },
  }, async (req) => uploadStatus(a, await who(req), req.params.id));

  app.put('/cases/:ref/uploads/:id/chunks/:index', {
    schema: { params: CaseChunkParams, response: { 200: PutChunkResponse } },
    bodyLimit: CHUNK,
  }, async (req) => putChunk(a, await who(req), req.params.id, Number(req.params.index), req.body));

  app.post('/cases/:ref/uploads/:id/complete', {
    schema: { params: CaseUploadParams, body: EmptyBody, response: { 200: CompleteUploadResponse } },
    preValidation: absentBodyIsEmpty,
  }, async (req) => {
    const uploader = await who(req);
    // Ids only in the audit entry: never a name or a size.
    const done = await completeUpload(a, uploader, req.params.id, ctx.today(), (tx, id) =>
      auditIn(ctx, tx, { actor: principal(req).id, action: 'case.attachment', caseRef: req.params.ref, detail: { id } }).then(() => undefined));
    return { ...done, receipt: attachmentReceipt(ctx, uploader.kind === 'triage' ? uploader.row.case_ref : req.params.ref, done) };
  });

  app.get('/cases/:ref/attachments/:id/chunks/:index', {
    schema: { params: CaseChunkParams, response: { 200: binary } },
  }, async (req, reply) => {
    const acc = await readAccess(ctx.db, principal(req), req.params.ref);
    return sendChunk(reply, await readChunk(a, acc.row.id, req.params.id, Number(req.params.index)));
  });
};
