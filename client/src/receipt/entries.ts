// Checking private record entries' receipts in the browser (holder's page and the triage case
// page): each receipt must be genuine under a published key, name this reference and the entry's
// day, and hash to the entry's sealed bytes as they were just received.
import { useEffect, useState } from 'preact/hooks';
import type { ReceiptKeys } from '../../../shared/src/api/receipts.ts';
import type { RecordEntryWire } from '../../../shared/src/api/record.ts';
import { fetchJson } from '../api.ts';
import { loadCrypto } from '../crypto.ts';

export type EntryReceiptStatus = 'checking' | 'verified' | 'missing' | 'failed';

let keysOnce: Promise<ReceiptKeys> | undefined;
const publishedKeys = (): Promise<ReceiptKeys> => {
  keysOnce ??= fetchJson<ReceiptKeys>('/api/v1/receipts/keys');
  keysOnce.catch(() => { keysOnce = undefined; });
  return keysOnce;
};

export async function checkEntryReceipts(reference: string | undefined, recordId: string, entries: RecordEntryWire[]): Promise<EntryReceiptStatus[]> {
  const [c, keys] = await Promise.all([loadCrypto(), publishedKeys()]);
  const trusted = [keys.current, ...keys.previous];
  const rid = c.fromB64u(recordId);
  return entries.map((e) => {
    if (!e.receipt) return 'missing';
    const checked = c.verifyReceipt(e.receipt, trusted, c.entrySealedBytes(rid, e));
    const ok = checked.ok && checked.receipt.kind === 'entry' && checked.receipt.receivedOn === e.on
      && (reference === undefined || checked.receipt.caseRef === reference);
    return ok ? 'verified' : 'failed';
  });
}

/**
 * A file's receipt against the attachment hash computed over the sealed chunks just fetched (the reader
 * hashes them as it opens them, so the file is never held twice): genuine, kind attachment, this hash
 * and the day the file was stored.
 */
export async function checkFileReceipt(receipt: unknown, attachmentHash: string, on: string, reference?: string): Promise<EntryReceiptStatus> {
  if (!receipt) return 'missing';
  const [c, keys] = await Promise.all([loadCrypto(), publishedKeys()]);
  const checked = c.verifyReceipt(receipt, [keys.current, ...keys.previous]);
  const ok = checked.ok && checked.receipt.kind === 'attachment' && checked.receipt.sealedHash === attachmentHash
    && checked.receipt.receivedOn === on && (reference === undefined || checked.receipt.caseRef === reference);
  return ok ? 'verified' : 'failed';
}

/** Statuses for the entries shown, checked once per list. */
export function useEntryReceipts(reference: string | undefined, recordId: string, entries: RecordEntryWire[]): EntryReceiptStatus[] {
  const [statuses, setStatuses] = useState<EntryReceiptStatus[]>(() => entries.map(() => 'checking'));
  useEffect(() => {
    let live = true;
    checkEntryReceipts(reference, recordId, entries).then(
      (s) => live && setStatuses(s),
      () => live && setStatuses(entries.map(() => 'failed')),
    );
    return () => { live = false; };
  }, [reference, recordId, entries]);
  return statuses;
}

export const RECEIPT_STATUS_WORDS: Record<EntryReceiptStatus, string> = {
  checking: 'Checking…',
  verified: 'Verified: this entry is exactly as received on that day',
  missing: 'No receipt was issued for this entry',
  failed: 'Does not verify: this entry or its date has changed since the receipt was issued',
};

export const FILE_RECEIPT_WORDS: Record<EntryReceiptStatus, string> = {
  checking: 'Checked when you download the file',
  verified: 'Verified: this file is exactly as received on that day',
  missing: 'No receipt was issued for this file',
  failed: 'Does not verify: this file or its date has changed since the receipt was issued',
};
