// Receipts through the API on every dialect: one comes back with a report, a reporter
// message and a staff message; each verifies against the published key and the bytes
// posted; staff can check one against the case (match, mismatch, audited); bad input
// is refused and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStaffKeyPair } from '../../seeds/demo.ts';
import type { ReceiptKeys } from '../../shared/src/api/receipts.ts';
import type { StaffCaseView } from '../../shared/src/api/staff.ts';
import { fromB64u, openCaseView, ready, sealMessage, toB64u, unwrapKey, type PublicKey } from '../../shared/src/crypto/index.ts';
import { receiptText, sealedBytesOf, verifyReceipt, type Receipt } from '../../shared/src/crypto/receipt.ts';
import { signingKeyPairFromSeed } from '../../shared/src/crypto/at-rest.ts';
import { signReceipt } from '../../shared/src/crypto/receipt.ts';
import { auditEntries } from '../src/audit/log.ts';
import { deriveKey } from '../src/secret.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, postReport, sealFor, TEST_SECRET, TODAY, type TestApp } from './helpers.ts';
import { call, Clock, signIn, type Session } from './staff-helpers.ts';

const OFFICER = 'nw-bcu-psu-1';
const OUTSIDER = 'cs-bcu-psu-1';
/** An earlier receipt key, still published (RECEIPT_PREVIOUS_KEYS); made in beforeAll, once libsodium is ready. */
let OLD_KEY = '';

describe.each(dialects)('receipts on $name', (dialect) => {
  let t: TestApp;
  const clock = new Clock();
  let keys: ReceiptKeys;
  let officer: Session;
  let caseRef = '';
  let reportReceipt: Receipt;
  let reportBytes: Uint8Array;
  let messageReceipt: Receipt;
  let staffReceipt: Receipt;

  beforeAll(async () => {
    await ready();
    OLD_KEY = toB64u(signingKeyPairFromSeed(new Uint8Array(32).fill(1)).publicKey);
    t = await makeApp(dialect, { signIn: [OFFICER, OUTSIDER], now: clock.now, receiptPreviousKeys: [OLD_KEY] });
    keys = (await t.app.inject({ method: 'GET', url: '/api/v1/receipts/keys' })).json();
    officer = await signIn(t.app, clock, OFFICER);
  }, 60_000);
  afterAll(async () => { await t?.close(); });

  const trusted = () => [keys.current, ...keys.previous];

  it('publishes the receipt key (derived from the server secret) and the earlier keys configured, without a session or cookie', async () => {
    const lines = t.logs.length;
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/receipts/keys' });
    expect(res.statusCode).toBe(200);
    // Fetched by the Check a receipt page, often just after a report: no per-request log line (a time).
    expect(t.logs.length).toBe(lines);
    // (A staff request does write one, so the count above can tell.)
    await t.app.inject({ method: 'GET', url: '/api/v1/staff/cases' });
    expect(t.logs.length).toBeGreaterThan(lines);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toContain('no-store');
    const derived = signingKeyPairFromSeed(deriveKey(TEST_SECRET, 'rc receipt signing key v1'));
    expect(keys.current.publicKey).toBe(toB64u(derived.publicKey));
    expect(keys.previous.map((k) => k.publicKey)).toEqual([OLD_KEY]);
    expect(keys.current.keyId).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });

  it('returns a receipt with a stored report that verifies against the published key and the envelope posted', async () => {
    const { body, session } = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: 'Receipt please.' } });
    const res = await postReport(t.app, body);
    expect(res.statusCode).toBe(201);
    const out = res.json() as { caseRef: string; receivedOn: string; receipt: Receipt };
    caseRef = out.caseRef;
    reportReceipt = out.receipt;
    reportBytes = sealedBytesOf(body.report);
    expect(out.receipt).toMatchObject({ format: 'rc2-receipt', v: 1, kind: 'report', caseRef, receivedOn: TODAY, keyId: keys.current.keyId });
    expect(verifyReceipt(out.receipt, trusted(), reportBytes)).toMatchObject({ ok: true, hashChecked: true });
    // It binds the exact bytes: the identity-free report envelope, nonce then ct.
    const other = reportBytes.slice();
    other[30]! ^= 1;
    expect(verifyReceipt(out.receipt, trusted(), other)).toMatchObject({ ok: false, code: 'hash_mismatch' });

    // A reporter message gets its own.
    const view = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: session.authorization } })).json();
    const opened = openCaseView(session, view);
    const msg = sealMessage(opened.caseKey, session.keyPair.publicKey, 'reporter', 'A follow-up');
    const posted = await postMessage(t.app, session.authorization, msg);
    expect(posted.statusCode).toBe(201);
    messageReceipt = posted.json().receipt;
    expect(messageReceipt).toMatchObject({ kind: 'message', caseRef, receivedOn: TODAY });
    expect(verifyReceipt(messageReceipt, trusted(), sealedBytesOf(msg)).ok).toBe(true);
    // The message id is not in the receipt but is bound anyway: it is in the envelope's additional data.
    expect(messageReceipt.sealedHash).not.toBe(reportReceipt.sealedHash);
  });

  it('returns a receipt with a staff message to the reporter', async () => {
    const detail = (await call(t.app, officer, 'GET', `/cases/${caseRef}`)).json() as StaffCaseView;
    const caseKey = unwrapKey(demoStaffKeyPair(OFFICER), fromB64u(detail.keyWrap));
    const reply = sealMessage(caseKey, fromB64u(detail.reporterPk) as PublicKey, 'triage', 'Thank you');
    const sent = await call(t.app, officer, 'POST', `/cases/${caseRef}/messages`, reply);
    expect(sent.statusCode).toBe(201);
    staffReceipt = sent.json().receipt;
    expect(verifyReceipt(staffReceipt, trusted(), sealedBytesOf(reply))).toMatchObject({ ok: true });
  });

  it('returns a receipt with a message sent together with a status change, like any message; a change without one has none', async () => {
    const { body } = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: 'To be closed.' } });
    const ref = ((await postReport(t.app, body)).json() as { caseRef: string }).caseRef;
    const plain = await call(t.app, officer, 'POST', `/cases/${ref}/status`, { status: 'acknowledged' });
    expect([plain.statusCode, plain.body]).toEqual([204, '']);
    const detail = (await call(t.app, officer, 'GET', `/cases/${ref}`)).json() as StaffCaseView;
    const caseKey = unwrapKey(demoStaffKeyPair(OFFICER), fromB64u(detail.keyWrap));
    const explanation = sealMessage(caseKey, fromB64u(detail.reporterPk) as PublicKey, 'triage', 'We have closed your case.');
    const closed = await call(t.app, officer, 'POST', `/cases/${ref}/status`, { status: 'closed', outcome: 'management_action', message: explanation });
    expect(closed.statusCode).toBe(201);
    const out = closed.json() as { id: string; on: string; receipt: Receipt };
    expect(out).toMatchObject({ id: explanation.id, on: TODAY });
    expect(out.receipt).toMatchObject({ format: 'rc2-receipt', kind: 'message', caseRef: ref, receivedOn: TODAY, keyId: keys.current.keyId });
    expect(verifyReceipt(out.receipt, trusted(), sealedBytesOf(explanation))).toMatchObject({ ok: true, hashChecked: true });
    // It names the message the case holds, as a message from the team (the reporter reads the same bytes).
    expect((await check(officer, ref, JSON.stringify(out.receipt))).json()).toEqual({ match: true, result: 'match', record: { kind: 'message', from: 'triage', on: TODAY } });
  });

  const check = (s: Session | null, ref: string, receipt: unknown) => call(t.app, s, 'POST', `/cases/${ref}/receipt-check`, { receipt });

  it('lets the case team confirm a receipt matches what the case holds, and audits it', async () => {
    const before = (await auditEntries(t.tdb.handle.db, { action: 'case.receipt_check', caseRef })).length;
    const r1 = await check(officer, caseRef, receiptText(reportReceipt));
    expect(r1.statusCode).toBe(200);
    expect(r1.json()).toEqual({ match: true, result: 'match', record: { kind: 'report', on: TODAY } });
    expect((await check(officer, caseRef, JSON.stringify(messageReceipt))).json()).toEqual({ match: true, result: 'match', record: { kind: 'message', from: 'reporter', on: TODAY } });
    expect((await check(officer, caseRef, JSON.stringify(staffReceipt))).json()).toMatchObject({ match: true, record: { kind: 'message', from: 'triage' } });
    const entries = await auditEntries(t.tdb.handle.db, { action: 'case.receipt_check', caseRef });
    expect(entries.length).toBe(before + 3);
    expect(JSON.parse(entries.at(-3)!.detail)).toEqual({ result: 'match', kind: 'report' });
    // The audit names the result, never the hash or signature.
    expect(entries.map((e) => e.detail).join('')).not.toContain(reportReceipt.sealedHash);
  });

  it('says no match for an altered receipt, another case’s receipt, a record the case does not hold or another day', async () => {
    const altered = { ...reportReceipt, receivedOn: '2026-01-14' };
    expect((await check(officer, caseRef, JSON.stringify(altered))).json()).toEqual({ match: false, result: 'not_genuine' });
    const { body } = await sealFor(t.app, { mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: 'Another.' } });
    const other = (await postReport(t.app, body)).json() as { receipt: Receipt };
    expect((await check(officer, caseRef, JSON.stringify(other.receipt))).json()).toEqual({ match: false, result: 'other_case' });
    // Genuine receipts (signed with the server's key) for bytes this case does not hold, or under another day.
    const sk = signingKeyPairFromSeed(deriveKey(TEST_SECRET, 'rc receipt signing key v1')).secretKey;
    const stranger = signReceipt(sk, { kind: 'report', caseRef, receivedOn: TODAY, sealedHash: other.receipt.sealedHash });
    expect((await check(officer, caseRef, JSON.stringify(stranger))).json()).toEqual({ match: false, result: 'no_record' });
    const shifted = signReceipt(sk, { kind: 'report', caseRef, receivedOn: '2026-01-10', sealedHash: reportReceipt.sealedHash });
    expect((await check(officer, caseRef, JSON.stringify(shifted))).json()).toEqual({ match: false, result: 'date_differs', record: { kind: 'report', on: TODAY } });
    // A message receipt is not a report receipt: the kind is part of what must match.
    const asReport = signReceipt(sk, { kind: 'report', caseRef, receivedOn: TODAY, sealedHash: messageReceipt.sealedHash });
    expect((await check(officer, caseRef, JSON.stringify(asReport))).json()).toEqual({ match: false, result: 'no_record' });
    // Signed by the earlier, still-published key: genuine, so it is compared.
    const old = signReceipt(signingKeyPairFromSeed(new Uint8Array(32).fill(1)).secretKey, { kind: 'report', caseRef, receivedOn: TODAY, sealedHash: reportReceipt.sealedHash });
    expect((await check(officer, caseRef, JSON.stringify(old))).json()).toMatchObject({ match: true });
    const entries = await auditEntries(t.tdb.handle.db, { action: 'case.receipt_check', caseRef });
    expect(entries.slice(-6).map((e) => JSON.parse(e.detail).result)).toEqual(['not_genuine', 'other_case', 'no_record', 'date_differs', 'no_record', 'match']);
  });

  it('refuses bad input with a clear error and audits nothing', async () => {
    const count = async () => (await auditEntries(t.tdb.handle.db, { action: 'case.receipt_check' })).length;
    const before = await count();
    const notReceipt = await check(officer, caseRef, 'hello');
    expect(notReceipt.statusCode).toBe(400);
    expect(notReceipt.json().error).toMatchObject({ code: 'invalid_receipt', message: expect.stringContaining('not a receipt') });
    const timed = await check(officer, caseRef, JSON.stringify({ ...reportReceipt, receivedAt: '09:14' }));
    expect(timed.json().error.code).toBe('invalid_receipt');
    expect((await check(officer, caseRef, '')).json().error.code).toBe('invalid_request');
    expect((await check(officer, caseRef, 'x'.repeat(5000))).json().error.code).toBe('invalid_request');
    expect((await check(officer, caseRef, { ...reportReceipt })).json().error.code).toBe('invalid_request');
    expect((await call(t.app, officer, 'POST', `/cases/${caseRef}/receipt-check`, { receipt: receiptText(reportReceipt), extra: 1 })).json().error.code).toBe('invalid_request');
    expect((await check(officer, 'RC-0000-000', receiptText(reportReceipt))).json().error.code).toBe('invalid_request');
    expect(await count()).toBe(before);
  });

  it('is for the case’s own team only, and needs a session', async () => {
    const outsider = await signIn(t.app, clock, OUTSIDER);
    const res = await check(outsider, caseRef, receiptText(reportReceipt));
    expect(res.statusCode).toBe(403);
    expect((await check(null, caseRef, receiptText(reportReceipt))).statusCode).toBe(401);
    expect((await check(officer, 'RC-ZZZZ-ZZZZ', receiptText(reportReceipt))).statusCode).toBe(403);
  });
});
