// npm run receipt:verify -- --receipt FILE --public-key KEY|FILE [--sealed FILE]
// Checks a receipt offline: no server, no database, no secret. The public key is the
// force's published receipt key: base64url text, a file holding it, or the JSON of
// GET /api/v1/receipts/keys or `npm run receipt:key -- --json`. With --sealed, also checks
// that the file holds the sealed bytes the receipt names: raw bytes (nonce ‖ ct), or
// the envelope as posted, JSON { "nonce", "ct" }.
// Exit codes: 0 the receipt is genuine (and the bytes match); 1 it is not; 2 usage or unreadable files.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fromB64u, isB64u, ready } from '../../../shared/src/crypto/index.ts';
import { receiptKeyOf, sealedBytesOf, verifyReceipt, type ReceiptKey } from '../../../shared/src/crypto/receipt.ts';
import { message } from './keys.ts';

const USAGE = 'usage: npm run receipt:verify -- --receipt FILE --public-key KEY|FILE [--sealed FILE]';

class Usage extends Error {}

/** The trusted keys from text: a bare key, or JSON { publicKey } / { current, previous } / [{ publicKey }]. */
function keysFrom(text: string): ReceiptKey[] {
  const t = text.trim();
  if (isB64u(t, 32)) return [receiptKeyOf(fromB64u(t))];
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    throw new Usage('--public-key is neither a 32-byte base64url key nor JSON holding one');
  }
  const o = v as { publicKey?: unknown; current?: unknown; previous?: unknown };
  const list: unknown[] = Array.isArray(v) ? v : o.current ? [o.current, ...(Array.isArray(o.previous) ? o.previous : [])] : [v];
  const keys = list.map((k) => (k as { publicKey?: unknown } | null)?.publicKey).filter((k): k is string => typeof k === 'string' && isB64u(k, 32));
  if (keys.length === 0) throw new Usage('--public-key JSON holds no 32-byte base64url publicKey');
  // The key id is recomputed from each key, never taken from the file.
  return keys.map((k) => receiptKeyOf(fromB64u(k)));
}

/** Raw sealed bytes, or the envelope JSON decoded to them. */
function sealedFrom(bytes: Buffer): Uint8Array {
  try {
    const v = JSON.parse(bytes.toString('utf8')) as { nonce?: unknown; ct?: unknown };
    if (typeof v?.nonce === 'string' && typeof v.ct === 'string') return sealedBytesOf({ nonce: v.nonce, ct: v.ct });
  } catch {
    // not JSON: raw bytes
  }
  return new Uint8Array(bytes);
}

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new Usage(`cannot read the ${what} file ${path}`);
  }
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { receipt: { type: 'string' }, 'public-key': { type: 'string' }, sealed: { type: 'string' } } }));
  } catch (err) {
    console.error(`receipt verify: ${message(err)}\n${USAGE}`);
    return 2;
  }
  if (!values.receipt || !values['public-key']) {
    console.error(USAGE);
    return 2;
  }
  await ready();
  try {
    const keyArg = values['public-key'];
    const trusted = keysFrom(isB64u(keyArg.trim(), 32) || !existsSync(keyArg) ? keyArg : read(keyArg, 'public key').toString('utf8'));
    const receiptText = read(values.receipt, 'receipt').toString('utf8');
    const sealed = values.sealed ? sealedFrom(read(values.sealed, 'sealed bytes')) : undefined;
    const check = verifyReceipt(receiptText, trusted, sealed);
    if (!check.ok) {
      console.error(`receipt NOT valid (${check.code}): ${check.message}`);
      return 1;
    }
    const r = check.receipt;
    console.log(`receipt valid: ${r.kind} for case ${r.caseRef}, received on ${r.receivedOn}, signed with key ${r.keyId}`);
    console.log(check.hashChecked
      ? 'the sealed bytes given are the ones the receipt names'
      : 'the sealed bytes were not checked (give --sealed FILE to confirm they are the ones named)');
    return 0;
  } catch (err) {
    if (err instanceof Usage) {
      console.error(`receipt verify: ${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(`receipt verify failed: ${message(err)}`);
  return 2;
});
