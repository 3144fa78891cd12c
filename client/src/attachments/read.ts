// Reading an attachment in the browser: its meta opened under the case key,
// then each sealed chunk fetched, opened and kept as a Blob part (the padding
// dropped), so only the file itself is ever held.
import type { AttachmentView } from '../../../shared/src/api/schemas.ts';
import type { AttachmentDoc } from '../../../shared/src/crypto/documents.ts';
import type { PublicKey, SymmetricKey } from '../../../shared/src/crypto/types.ts';
import { ApiError } from '../api.ts';

type Rc1 = typeof import('../../../shared/src/crypto/index.ts');

export interface FileEntry {
  view: AttachmentView;
  /** null when the meta does not open (never shown as a file). */
  doc: AttachmentDoc | null;
}

export function openEntries(c: Rc1, caseKey: SymmetricKey, reporterPk: PublicKey, list: AttachmentView[]): FileEntry[] {
  return list.map((view) => {
    try {
      return { view, doc: c.openAttachmentMeta(caseKey, reporterPk, c.fromB64u(view.id), view.meta) };
    } catch {
      return { view, doc: null };
    }
  });
}

async function chunk(url: string, headers: Record<string, string>): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { headers, cache: 'no-store', credentials: 'same-origin', referrerPolicy: 'no-referrer' });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, res.statusText);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Fetches and opens every chunk; `chunkUrl(i)` names the route (reporter, record or staff). `onSealed`
 * sees each sealed chunk as fetched, in order (to compute the attachment hash a receipt names).
 */
export async function readFile(
  c: Rc1, doc: AttachmentDoc, chunkUrl: (i: number) => string, headers: Record<string, string> = {}, onSealed?: (sealed: Uint8Array) => void,
): Promise<Blob> {
  const opener = c.openAttachment(doc);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < doc.chunks; i++) {
    const sealed = await chunk(chunkUrl(i), headers);
    onSealed?.(sealed);
    const plain = opener.open(i, sealed);
    if (plain.length > 0) parts.push(plain);
  }
  opener.finish();
  return new Blob(parts.map((p) => p.slice().buffer), { type: doc.type });
}

/** Images the page can show (data: URLs are what the CSP allows for pictures). */
export const PREVIEWABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

export function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(blob);
  });
}

/** Saves a decrypted file (the same temporary-link download as the receipts and tokens). */
export { saveBlob as save } from '../receipt/save.ts';
