import { beforeAll, describe, expect, it } from 'vitest';
import { initialSendState, MAX_RESEALS, reasonFor, runSend, transition, UNVERIFIED, type SendEffects, type SendState } from './send.ts';
import type { RecipientInfo, SubmitReport } from '../../../shared/src/api/schemas.ts';
import { accessHashOf, adReport, deriveAccessKey, fromB64u, generateToken, openDoc, toB64u, unwrapKey, type PublicKey } from '../../../shared/src/crypto/index.ts';
import type { Draft } from '../../../shared/src/crypto/reporter.ts';
import type { CaseToken } from '../../../shared/src/crypto/types.ts';
import { newHolders, readyCrypto, recipientsOf, TEST_TEAM, testOrg } from '../../../shared/test/sealed-case.ts';
import { loadCrypto, type Crypto } from '../crypto.ts';

let c: Crypto;
beforeAll(async () => {
  await readyCrypto();
  c = await loadCrypto();
});

describe('transition', () => {
  it('follows idle → sealing → sending → sent', () => {
    let s: SendState = initialSendState;
    s = transition(s, { type: 'start' });
    expect(s).toEqual({ kind: 'sealing', reseals: 0 });
    s = transition(s, { type: 'sealed' });
    expect(s).toEqual({ kind: 'sending', reseals: 0 });
    s = transition(s, { type: 'accepted', caseRef: 'RC-1', receivedOn: '2025-01-02' });
    expect(s).toEqual({ kind: 'sent', caseRef: 'RC-1', receivedOn: '2025-01-02' });
    expect(transition(s, { type: 'start' })).toBe(s);
  });
  it('re-seals on recipients_changed a limited number of times', () => {
    let s: SendState = { kind: 'sending', reseals: 0 };
    for (let i = 1; i <= MAX_RESEALS; i++) {
      s = transition(s, { type: 'recipients-changed' });
      expect(s).toEqual({ kind: 'sealing', reseals: i });
      s = transition(s, { type: 'sealed' });
    }
    expect(transition(s, { type: 'recipients-changed' })).toEqual({ kind: 'failed', reason: 'recipients' });
  });
  it('lets a failure be retried', () => {
    const failed = transition({ kind: 'sending', reseals: 0 }, { type: 'failed', reason: 'network' });
    expect(failed).toEqual({ kind: 'failed', reason: 'network' });
    expect(transition(failed, { type: 'start' })).toEqual({ kind: 'sealing', reseals: 0 });
  });
  it('ignores events that do not fit the state', () => {
    expect(transition(initialSendState, { type: 'sealed' })).toBe(initialSendState);
    const sealing: SendState = { kind: 'sealing', reseals: 0 };
    expect(transition(sealing, { type: 'accepted', caseRef: 'x', receivedOn: 'y' })).toBe(sealing);
  });
});

describe('reasonFor', () => {
  it('maps API errors to plain reasons', () => {
    expect(reasonFor(0, 'network')).toBe('network');
    expect(reasonFor(429, 'rate_limited')).toBe('busy');
    expect(reasonFor(409, 'recipients_changed')).toBe('recipients-changed');
    expect(reasonFor(409, 'access_hash_taken')).toBe('already-received');
    expect(reasonFor(413, 'payload_too_large')).toBe('too-large');
    expect(reasonFor(400, 'unknown_unit')).toBe('choices-changed');
    expect(reasonFor(500, 'internal_error')).toBe('server');
  });
});

class Err {
  constructor(readonly status: number, readonly code: string) {}
}

/**
 * The network is faked (answers scripted per submit); sealing is the page's own:
 * the real sealSubmission from the crypto chunk, for real recipient keys.
 */
function fakes(submits: Array<Err | { caseRef: string; receivedOn: string }>, tamper = (r: RecipientInfo[]) => r) {
  const holders = newHolders();
  const tokens: Array<CaseToken | undefined> = [];
  const submitted: SubmitReport[] = [];
  const lookedUp: CaseToken[] = [];
  const fx: SendEffects = {
    recipients: async () => ({ team: { id: TEST_TEAM, label: 'T' }, recipients: tamper(recipientsOf(holders)) }),
    seal: async (d, r, token) => {
      tokens.push(token);
      return c.sealVerified(d, r, testOrg().publicKey, token);
    },
    submit: async (body) => {
      submitted.push(body);
      const next = submits.shift();
      if (!next || next instanceof Err) throw next ?? new Err(0, 'network');
      return next;
    },
    lookUp: async (token) => {
      lookedUp.push(token);
      return { caseRef: 'RC-FOUND', receivedOn: '2025-01-01' };
    },
    errorInfo: (e) => (e instanceof Err ? e : { status: -1, code: e instanceof Error && e.name === 'KeyChainError' ? UNVERIFIED : 'crypto' }),
  };
  return { fx, tokens, submitted, lookedUp, holders };
}

const draft: Draft = { mode: 'anonymous', category: 'bullying', report: { narrative: 'The narrative Wrenfold' } };
const accessHashFor = (t: CaseToken): string => toB64u(accessHashOf(deriveAccessKey(t)));

describe('runSend', () => {
  it('re-seals with the same token after recipients_changed', async () => {
    const { fx, tokens, submitted, holders } = fakes([new Err(409, 'recipients_changed'), { caseRef: 'RC-9', receivedOn: '2025-03-04' }]);
    const seen: string[] = [];
    let kept: CaseToken | undefined;
    const end = await runSend(draft, undefined, fx, (s) => seen.push(s.kind), (t) => (kept = t));
    expect(end).toEqual({ kind: 'sent', caseRef: 'RC-9', receivedOn: '2025-03-04' });
    expect(seen).toEqual(['sealing', 'sending', 'sealing', 'sending', 'sent']);
    expect(tokens[0]).toBeUndefined();
    expect(tokens[1]).toBe(kept);
    // Both submissions belong to the token the reporter was shown, each sealed afresh.
    expect(submitted).toHaveLength(2);
    for (const body of submitted) expect(body.accessHash).toBe(accessHashFor(kept!));
    expect(submitted[1]!.reporterPk).toBe(submitted[0]!.reporterPk);
    expect(submitted[1]!.report.ct).not.toBe(submitted[0]!.report.ct);
    // What was accepted opens for a routed officer with their own key.
    const body = submitted[1]!;
    const caseKey = unwrapKey(holders.lead, fromB64u(body.keys.find((k) => k.recipient === 'lead')!.sealed));
    expect(openDoc(caseKey, adReport(fromB64u(body.reporterPk) as PublicKey), body.report, 'rc1/report').narrative).toBe('The narrative Wrenfold');
  });
  it('fails on a network error and a retry reuses the token', async () => {
    const { fx, tokens } = fakes([new Err(0, 'network'), { caseRef: 'RC-2', receivedOn: '2025-03-04' }]);
    let kept: CaseToken | undefined;
    const first = await runSend(draft, undefined, fx, () => undefined, (t) => (kept = t));
    expect(first).toEqual({ kind: 'failed', reason: 'network' });
    const firstToken = kept;
    const second = await runSend(draft, kept, fx, () => undefined, (t) => (kept = t));
    expect(second.kind).toBe('sent');
    expect(tokens[1]).toBe(firstToken);
    expect(kept).toBe(firstToken);
  });
  it('treats access_hash_taken on a retry as already received, looked up with that token', async () => {
    const { fx, submitted, lookedUp } = fakes([new Err(409, 'access_hash_taken')]);
    const token = generateToken();
    const end = await runSend(draft, token, fx, () => undefined, () => undefined);
    expect(end).toEqual({ kind: 'sent', caseRef: 'RC-FOUND', receivedOn: '2025-01-01' });
    expect(submitted[0]!.accessHash).toBe(accessHashFor(token));
    expect(lookedUp).toEqual([token]);
  });
  it('gives up after repeated recipients_changed', async () => {
    const { fx } = fakes([new Err(409, 'recipients_changed'), new Err(409, 'recipients_changed'), new Err(409, 'recipients_changed')]);
    const end = await runSend(draft, undefined, fx, () => undefined, () => undefined);
    expect(end).toEqual({ kind: 'failed', reason: 'recipients' });
  });
  it('reports a crypto failure while sealing', async () => {
    const { fx } = fakes([]);
    fx.seal = async () => {
      throw new Error('wasm');
    };
    const end = await runSend(draft, undefined, fx, () => undefined, () => undefined);
    expect(end).toEqual({ kind: 'failed', reason: 'crypto' });
  });
  it.each([
    ['a changed key', (r: RecipientInfo[]) => r.map((x, i) => (i === 1 ? { ...x, publicKey: r[0]!.publicKey } : x))],
    ['a missing lead certificate', (r: RecipientInfo[]) => r.map((x, i) => (i === 0 ? { ...x, chain: x.chain.slice(0, 1) } : x))],
    ['a certificate from another member of the list', (r: RecipientInfo[]) => r.map((x, i) => (i === 0 ? { ...x, chain: r[1]!.chain } : x))],
    ['an extra uncertified recipient', (r: RecipientInfo[]) => [...r, { ...r[0]!, id: 'admin-made' }]],
  ])('refuses to seal for %s, and sends nothing', async (_what, tamper) => {
    const { fx, submitted, tokens } = fakes([{ caseRef: 'RC-NO', receivedOn: '2025-01-01' }], tamper);
    const states: SendState[] = [];
    const end = await runSend(draft, undefined, fx, (s) => states.push(s), () => undefined);
    expect(end).toEqual({ kind: 'failed', reason: 'unverified' });
    expect(submitted).toEqual([]);
    expect(tokens).toHaveLength(1);
    expect(states.some((s) => s.kind === 'sending')).toBe(false);
  });
});
