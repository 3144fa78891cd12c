import { describe, expect, it } from 'vitest';
import { initialSendState, MAX_RESEALS, reasonFor, runSend, transition, type SendEffects, type SendState } from './send.ts';
import type { Draft } from '../../../shared/src/crypto/reporter.ts';
import type { CaseToken } from '../../../shared/src/crypto/types.ts';

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

function fakes(submits: Array<Err | { caseRef: string; receivedOn: string }>) {
  const tokens: Array<CaseToken | undefined> = [];
  let made = 0;
  const fx: SendEffects = {
    recipients: async () => ({ team: { id: 't', label: 'T' }, recipients: [] }),
    seal: async (_d, _r, token) => {
      tokens.push(token);
      return { token: token ?? (new Uint8Array([++made]) as CaseToken), body: {} as never };
    },
    submit: async () => {
      const next = submits.shift();
      if (!next || next instanceof Err) throw next ?? new Err(0, 'network');
      return next;
    },
    lookUp: async () => ({ caseRef: 'RC-FOUND', receivedOn: '2025-01-01' }),
    errorInfo: (e) => (e instanceof Err ? e : { status: -1, code: 'crypto' }),
  };
  return { fx, tokens };
}

const draft = { mode: 'anonymous', category: 'c', report: { narrative: 'n' } } as Draft;

describe('runSend', () => {
  it('re-seals with the same token after recipients_changed', async () => {
    const { fx, tokens } = fakes([new Err(409, 'recipients_changed'), { caseRef: 'RC-9', receivedOn: '2025-03-04' }]);
    const seen: string[] = [];
    let kept: CaseToken | undefined;
    const end = await runSend(draft, undefined, fx, (s) => seen.push(s.kind), (t) => (kept = t));
    expect(end).toEqual({ kind: 'sent', caseRef: 'RC-9', receivedOn: '2025-03-04' });
    expect(seen).toEqual(['sealing', 'sending', 'sealing', 'sending', 'sent']);
    expect(tokens[0]).toBeUndefined();
    expect(tokens[1]).toBe(kept);
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
  it('treats access_hash_taken on a retry as already received', async () => {
    const { fx } = fakes([new Err(409, 'access_hash_taken')]);
    const end = await runSend(draft, new Uint8Array([7]) as CaseToken, fx, () => undefined, () => undefined);
    expect(end).toEqual({ kind: 'sent', caseRef: 'RC-FOUND', receivedOn: '2025-01-01' });
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
});
