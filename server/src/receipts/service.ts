// Signed proof of filing. A receipt is issued once, when a sealed record has been
// committed, and never again from stored rows: a receipt signed later from the
// database would vouch for whatever someone with write access put there, under any
// date. Staff can check a receipt against what a case holds (audited).
import type { Kysely, Transaction } from 'kysely';
import type { ReceiptCheckOutcome, ReceiptCheckResult, ReceiptKeys } from '../../../shared/src/api/receipts.ts';
import {
  hashSealedBytes, parseReceipt, ReceiptError, sealedBytesOf, verifyReceipt,
  type Receipt, type ReceiptKey, type ReceiptKind,
} from '../../../shared/src/crypto/receipt.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../plugins/errors.ts';
import type { ServerKeys } from '../server-keys.ts';
import { sealedRecordsOf, type StoredSealed } from './repository.ts';
import { entrySealedBytes } from '../../../shared/src/crypto/record.ts';
import { fromB64u } from '../../../shared/src/crypto/encoding.ts';

export type { Receipt } from '../../../shared/src/crypto/receipt.ts';
export { sealedHashOf, hashSealedBytes } from '../../../shared/src/crypto/receipt.ts';

export interface IssueInput {
  kind: ReceiptKind;
  /** The case reference, RC-XXXX-XXXX. */
  reference: string;
  /** base64url BLAKE2b-256 of the exact sealed bytes: sealedHashOf(envelope), or hashSealedBytes(bytes). */
  sealedHash: string;
  /** The day the record was stored (YYYY-MM-DD, the same day the row keeps): never a time. */
  day: string;
}

/** Signs a receipt for a record already committed. Call it after the transaction, never before. */
export function issueReceipt(keys: Pick<ServerKeys, 'receipt'>, input: IssueInput): Receipt {
  return keys.receipt.sign({ kind: input.kind, caseRef: input.reference, receivedOn: input.day, sealedHash: input.sealedHash });
}

/**
 * The keys a receipt may be checked against: the current one, and those of earlier server secrets the
 * operator still publishes (RECEIPT_PREVIOUS_KEYS) so receipts issued before a rotation keep verifying.
 */
export function publishedKeys(keys: Pick<ServerKeys, 'receipt'>, previous: readonly ReceiptKey[] = []): ReceiptKeys {
  return { current: keys.receipt.key, previous: previous.filter((k) => k.keyId !== keys.receipt.key.keyId) };
}

export type Audit = (tx: Transaction<Database>, r: ReceiptCheckResult) => Promise<unknown>;

/**
 * Whether a receipt matches what case `caseId` (reference `caseRef`) holds: genuine under a published key,
 * for this reference, and the hash of a stored record's sealed bytes on the same day. The check is audited
 * (its result, never the receipt's hash). A text that is not a receipt at all is 400 invalid_receipt.
 */
export async function checkReceipt(
  db: Kysely<Database>, trusted: readonly ReceiptKey[], c: { id: number; caseRef: string }, text: string, audit: Audit,
): Promise<ReceiptCheckResult> {
  let receipt: Receipt;
  try {
    receipt = parseReceipt(text);
  } catch (err) {
    throw new ApiError('invalid_receipt', err instanceof ReceiptError ? err.message : undefined);
  }
  const result = await compare(db, trusted, c, receipt);
  await db.transaction().execute(async (tx) => { await audit(tx, result); });
  return result;
}

async function compare(db: Kysely<Database>, trusted: readonly ReceiptKey[], c: { id: number; caseRef: string }, receipt: Receipt): Promise<ReceiptCheckResult> {
  const no = (result: ReceiptCheckOutcome): ReceiptCheckResult => ({ match: false, result });
  if (!verifyReceipt(receipt, trusted).ok) return no('not_genuine');
  if (receipt.caseRef !== c.caseRef) return no('other_case');
  const records = (await sealedRecordsOf(db, c.id)).filter((r) => r.kind === receipt.kind);
  const found = records.find((r) => sealedHash(r) === receipt.sealedHash);
  if (!found) return no('no_record');
  const record = { kind: found.kind, ...(found.from ? { from: found.from } : {}), on: found.on };
  if (found.on !== receipt.receivedOn) return { match: false, result: 'date_differs', record };
  return { match: true, result: 'match', record };
}

/** A stored envelope's hash (a record entry's: over its entry bytes); a purged or damaged one matches nothing. */
function sealedHash(r: StoredSealed): string | null {
  if (r.hash) return r.hash;
  try {
    if (r.entry) return hashSealedBytes(entrySealedBytes(fromB64u(r.entry.recordId), { id: r.entry.id, entry: r, subject: r.entry.subject }));
    return r.ct === '' ? null : hashSealedBytes(sealedBytesOf(r));
  } catch {
    return null;
  }
}
