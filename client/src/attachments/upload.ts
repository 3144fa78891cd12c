// Sealing and uploading one file, chunk by chunk: read 64 KiB with
// Blob.slice, seal it, send it, drop it. Memory stays at a few chunks however
// large the file. After a network failure or a busy answer it waits, asks the
// server which chunks it has, and carries on from there; the stream cannot be
// re-sealed from the middle, so the chunk in hand is kept until it is stored.
import type { CompleteUpload, StartUpload, UploadStatus } from '../../../shared/src/api/attachments.ts';
import type { PublicKey, SymmetricKey } from '../../../shared/src/crypto/types.ts';
import { ApiError, fetchJson } from '../api.ts';
import type { Crypto } from '../crypto.ts';

/** Where an upload goes: the reporter's routes (token) or a staff member's (session, case). */
export interface UploadTarget {
  start(body: StartUpload): Promise<UploadStatus>;
  put(id: string, index: number, sealed: Uint8Array): Promise<void>;
  status(id: string): Promise<UploadStatus>;
  complete(id: string): Promise<CompleteUpload>;
}

export interface Progress {
  /** Bytes of the (padded) file stored so far, and in all. */
  sent: number;
  total: number;
  /** True while waiting for the connection to come back. */
  retrying: boolean;
}

/** Waits between tries after a failure: 1, 2, 4 … 15 s, about five minutes in all. */
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];
const MAX_TRIES = 25;
const WINDOW = 4;
const retryable = (e: unknown) => e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500);

export interface UploadOptions {
  onProgress?: (p: Progress) => void;
  /** Tests shorten the waits. */
  sleep?: (ms: number) => Promise<void>;
}

export async function uploadFile(
  c: Crypto, target: UploadTarget, caseKey: SymmetricKey, reporterPk: PublicKey,
  file: Blob, name: string, type: string, opts: UploadOptions = {},
): Promise<CompleteUpload> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const idBytes = c.generateId();
  const id = c.toB64u(idBytes);
  const sealer = c.startAttachment(caseKey, reporterPk, idBytes, { name, type, size: file.size });
  const total = sealer.padded;
  const report = (sent: number, retrying = false) => opts.onProgress?.({ sent, total, retrying });

  /** Runs `step` until it succeeds; after a retryable failure, waits, then asks `stored` whether the server has it already. */
  async function persist<T>(step: () => Promise<T>): Promise<T>;
  async function persist(step: () => Promise<void>, stored: () => Promise<boolean>): Promise<void>;
  async function persist<T>(step: () => Promise<T>, stored?: () => Promise<boolean>): Promise<T | void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (e) {
        if (!retryable(e) || attempt >= MAX_TRIES) throw e;
        report(-1, true);
        await sleep(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!);
        if (stored && (await stored().catch(() => false))) return;
      }
    }
  }

  // Starting twice is harmless: a lost answer shows up as upload_exists, and the status is ours to read.
  await persist(async () => {
    try {
      return await target.start({ id, paddedSize: sealer.padded, meta: sealer.meta });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'upload_exists') return target.status(id);
      throw e;
    }
  });
  report(0);
  // Up to WINDOW chunks travel at once (sealing stays in order): memory is WINDOW × 64 KiB, and a
  // slow round trip no longer sets the pace.
  const inFlight: Promise<void>[] = [];
  let stored = 0;
  for (let i = 0; i < sealer.chunks; i++) {
    const start = i * c.ATTACHMENT_CHUNK;
    const plain = start < file.size ? new Uint8Array(await file.slice(start, start + c.ATTACHMENT_CHUNK).arrayBuffer()) : new Uint8Array(0);
    const sealed = sealer.seal(i, plain);
    const sending = persist(
      () => target.put(id, i, sealed),
      // Back online: if the server has this chunk already (our answer was lost), move on.
      async () => (await target.status(id)).stored.includes(i),
    ).then(() => report(Math.min(total, ++stored * c.ATTACHMENT_CHUNK)));
    sending.catch(() => undefined); // awaited below; this only stops an early failure counting as unhandled
    inFlight.push(sending);
    if (inFlight.length >= WINDOW) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return persist(() => target.complete(id));
}

const bytesBody = (sealed: Uint8Array): ArrayBuffer => sealed.slice().buffer;

/** The reporter's upload routes; `stamped` runs a request with a fresh proof-of-work stamp. */
export function reporterTarget(authorization: string, stamped: <T>(run: (stamp: string) => Promise<T>) => Promise<T>): UploadTarget {
  const auth = { Authorization: authorization };
  return {
    start: (body) => stamped((stamp) => fetchJson<UploadStatus>('/api/v1/uploads', {
      method: 'POST', headers: { ...auth, 'Pow-Stamp': stamp }, body: JSON.stringify(body),
    })),
    put: async (id, index, sealed) => {
      await fetchJson(`/api/v1/uploads/${id}/chunks/${index}`, {
        method: 'PUT', headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body: bytesBody(sealed),
      });
    },
    status: (id) => fetchJson<UploadStatus>(`/api/v1/uploads/${id}`, { headers: auth }),
    complete: (id) => fetchJson<CompleteUpload>(`/api/v1/uploads/${id}/complete`, { method: 'POST', headers: auth }),
  };
}

/** A staff member's upload routes for one case (session cookie; the CSRF header on writes). */
export function staffTarget(ref: string, csrf: string): UploadTarget {
  const base = `/api/v1/staff/cases/${encodeURIComponent(ref)}/uploads`;
  const w = { 'X-CSRF-Token': csrf };
  return {
    start: (body) => fetchJson<UploadStatus>(base, { method: 'POST', headers: w, body: JSON.stringify(body) }),
    put: async (id, index, sealed) => {
      await fetchJson(`${base}/${id}/chunks/${index}`, {
        method: 'PUT', headers: { ...w, 'Content-Type': 'application/octet-stream' }, body: bytesBody(sealed),
      });
    },
    status: (id) => fetchJson<UploadStatus>(`${base}/${id}`),
    complete: (id) => fetchJson<CompleteUpload>(`${base}/${id}/complete`, { method: 'POST', headers: w }),
  };
}

/** Plain words for progress, e.g. "Sending rota.pdf: 2.1 MB of 4 MB". */
export function progressWords(name: string, p: Progress): string {
  if (p.retrying) return `The connection was lost while sending ${name}. Trying again…`;
  const mb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1e3))} KB`);
  return `Sending ${name}: ${mb(p.sent)} of ${mb(p.total)}`;
}
