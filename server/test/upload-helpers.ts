// Upload helpers shared by the attachment and record-file API tests: a file that
// repeats a marker (so a plaintext leak is easy to find), sealed in full up front,
// and the upload steps for a reporter or record token (Authorization header) or a
// staff session (cookie and CSRF header).
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import {
  ATTACHMENT_CHUNK, attachmentHasher, generateId, POW_HEADER, startAttachment, toB64u, type PublicKey, type SymmetricKey,
} from '../../shared/src/crypto/index.ts';
import { stamp } from './helpers.ts';
import type { Session } from './staff-helpers.ts';

export const MARKER = 'Bartholomew-Quince-grid-ref-TQ3080';

/** A file of `size` bytes that repeats MARKER, so a plaintext leak is easy to find. */
export const fileOf = (size: number): Uint8Array => {
  const text = new TextEncoder().encode(`${MARKER} `);
  return Uint8Array.from({ length: size }, (_, i) => text[i % text.length]!);
};

export interface Prepared { id: string; meta: { nonce: string; ct: string }; padded: number; chunks: Uint8Array[]; hash: string }

export function prepare(caseKey: SymmetricKey, pk: PublicKey, file: Uint8Array, name = `${MARKER}.txt`): Prepared {
  const idBytes = generateId();
  const s = startAttachment(caseKey, pk, idBytes, { name, type: 'text/plain', size: file.length });
  const hasher = attachmentHasher();
  const chunks = Array.from({ length: s.chunks }, (_, i) => {
    const c = s.seal(i, file.subarray(i * ATTACHMENT_CHUNK, (i + 1) * ATTACHMENT_CHUNK));
    hasher.update(c);
    return c;
  });
  return { id: toB64u(idBytes), meta: s.meta, padded: s.padded, chunks, hash: toB64u(hasher.digest()) };
}

export type Auth = { authorization: string } | Session;
export const headersOf = (who: Auth, write: boolean): Record<string, string> =>
  'authorization' in who ? { authorization: who.authorization } : { cookie: who.cookie, ...(write ? { 'x-csrf-token': who.csrf } : {}) };
export const base = (who: Auth, ref?: string) => ('authorization' in who ? '/api/v1/uploads' : `/api/v1/staff/cases/${ref}/uploads`);

export async function start(app: FastifyInstance, who: Auth, p: { id: string; padded: number; meta: object }, ref?: string) {
  const headers = { ...headersOf(who, true), ...('authorization' in who ? { [POW_HEADER]: await stamp(app) } : {}) };
  return app.inject({ method: 'POST', url: base(who, ref), headers, payload: { id: p.id, paddedSize: p.padded, meta: p.meta } });
}
export const put = (app: FastifyInstance, who: Auth, id: string, i: number, body: Uint8Array, ref?: string) =>
  app.inject({
    method: 'PUT', url: `${base(who, ref)}/${id}/chunks/${i}`, payload: Buffer.from(body),
    headers: { ...headersOf(who, true), 'content-type': 'application/octet-stream' },
  });
export const status = (app: FastifyInstance, who: Auth, id: string, ref?: string) =>
  app.inject({ method: 'GET', url: `${base(who, ref)}/${id}`, headers: headersOf(who, false) });
export const complete = (app: FastifyInstance, who: Auth, id: string, ref?: string) =>
  app.inject({ method: 'POST', url: `${base(who, ref)}/${id}/complete`, headers: headersOf(who, true) });

export async function uploadAll(app: FastifyInstance, who: Auth, p: Prepared, ref?: string): Promise<void> {
  expect((await start(app, who, p, ref)).statusCode).toBe(201);
  for (const [i, c] of p.chunks.entries()) expect((await put(app, who, p.id, i, c, ref)).statusCode).toBe(200);
  expect((await complete(app, who, p.id, ref)).json()).toMatchObject({ hash: p.hash });
}
