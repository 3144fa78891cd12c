// Reporter responses whose length would otherwise follow what a case holds
// (GET /api/v1/case grows with every message and status change) are padded
// to a whole number of 64 KiB steps, so the size on the wire (TLS hides the
// bytes, not the length) does not tell a watcher how many messages a case
// has, or that one was added. A smaller doubling scale would not do: one
// short message moves a new case from 2 KiB to 4 KiB. docs/PROTOCOL.md.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const RESPONSE_STEP = 64 * 1024;
const FIELD = ',"pad":""';
const SPACES = Buffer.alloc(RESPONSE_STEP, 0x20);

/** A JSON object, with a `pad` field of spaces making its UTF-8 length a multiple of RESPONSE_STEP. */
export function padJson(body: string): string {
  if (!body.startsWith('{') || !body.endsWith('}')) return body;
  const empty = body === '{}';
  const base = Buffer.byteLength(body) + FIELD.length - (empty ? 1 : 0);
  const target = Math.max(1, Math.ceil(base / RESPONSE_STEP)) * RESPONSE_STEP;
  return `${body.slice(0, -1)}${empty ? '' : ','}"pad":"${' '.repeat(target - base)}"}`;
}

/**
 * padJson's bytes, built straight into one buffer: the padding is a fill, not a 64 KiB string that
 * Fastify would measure (Buffer.byteLength) and the socket encode again for every response.
 */
export function padJsonBytes(body: string): Buffer | string {
  if (!body.startsWith('{') || !body.endsWith('}')) return body;
  const empty = body === '{}';
  const base = Buffer.byteLength(body) + FIELD.length - (empty ? 1 : 0);
  const target = Math.max(1, Math.ceil(base / RESPONSE_STEP)) * RESPONSE_STEP;
  // Every byte is written below: the head, the spaces, the closing '"}'.
  const out = Buffer.allocUnsafe(target);
  const head = out.write(`${body.slice(0, -1)}${empty ? '' : ','}"pad":"`, 0, 'utf8');
  SPACES.copy(out, head, 0, target - 2 - head);
  out.write('"}', target - 2, 'latin1');
  return out;
}

/** Route onSend hook: pads successful JSON answers (errors keep their own fixed shapes). */
export async function padResponse(_req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  return reply.statusCode === 200 && typeof payload === 'string' ? padJsonBytes(payload) : payload;
}
