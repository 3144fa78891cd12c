// createInternalKey with real libsodium: the wraps it sends must each open,
// with that recipient's own secret key, to one and the same fresh internalKey.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromB64u, generateKeyPair, toB64u, unwrapKey, type KeyPair } from '../../../shared/src/crypto/index.ts';
import { loadStaffCrypto, type Crypto } from '../staff/crypto.ts';
import type { CaseDetail, Member } from '../staff/types.ts';
import { certifiedRecipient, certifiedRecovery } from '../../../shared/test/sealed-case.ts';

const api = vi.hoisted(() => ({
  members: vi.fn(),
  recipients: vi.fn(),
  internalKey: vi.fn(),
  case: vi.fn(),
}));
vi.mock('../staff/api.ts', () => ({ staffApi: api }));
const { createInternalKey } = await import('./opened.ts');

let c: Crypto;
const keys = new Map<string, KeyPair>();
/** Each id's own real key pair, made on first use. */
const keyOf = (id: string): KeyPair => {
  let k = keys.get(id);
  if (!k) keys.set(id, (k = generateKeyPair()));
  return k;
};
const pkOf = (id: string): string => toB64u(keyOf(id).publicKey);
beforeAll(async () => {
  c = await loadStaffCrypto();
});
const member = (id: string): Member => {
  const r = certifiedRecipient(`k-${id}`, keyOf(id).publicKey, false, 't');
  return { id, displayName: id, role: 'triage', publicKey: r.publicKey, seesIdentity: false, recipientId: r.id, chain: r.chain };
};
const self = { id: 'me', get publicKey() { return pkOf('me'); } };
const detail = (extra: object = {}) =>
  ({ caseRef: 'RC-AAAA-BBBB', team: { id: 't', label: 'T' }, category: { id: 'cat', label: 'Cat' }, unit: null, ...extra }) as unknown as CaseDetail;
const conflict = (code: string) => Object.assign(new Error(code), { status: 409, code });
const sent = (call: number) => api.internalKey.mock.calls[call]?.[1] as { recipient: string; sealed: string }[];
/** Who a request wrapped the key to, after checking every wrap opens with that recipient's key to the same key. */
const sentTo = (call: number): string[] => {
  const wraps = sent(call);
  const opened = wraps.map((w) => toB64u(unwrapKey(keyOf(w.recipient), fromB64u(w.sealed))));
  expect(new Set(opened).size).toBe(1);
  expect(fromB64u(opened[0]!)).toHaveLength(32);
  return wraps.map((w) => w.recipient);
};

beforeEach(() => {
  vi.resetAllMocks();
  api.members.mockResolvedValue([member('me'), member('b'), member('late')]);
  api.recipients.mockResolvedValue({ team: { id: 't', label: 'T' }, recipients: [certifiedRecovery('rec', keyOf('rec').publicKey)] });
  api.internalKey.mockResolvedValue(null);
});

describe('createInternalKey', () => {
  it('refuses, sending nothing, when a member\'s chain does not reach the organisation key', async () => {
    const admins = { ...member('b'), publicKey: pkOf('admin-made') };
    api.members.mockResolvedValue([member('me'), admins]);
    await expect(createInternalKey(c, detail({ holders: ['me', 'b'] }), self)).rejects.toMatchObject({ name: 'KeyChainError' });
    api.members.mockResolvedValue([member('me'), { ...member('b'), chain: member('b').chain.slice(0, 1) }]);
    await expect(createInternalKey(c, detail({ holders: ['me', 'b'] }), self)).rejects.toMatchObject({ name: 'KeyChainError' });
    expect(api.internalKey).not.toHaveBeenCalled();
  });
  it('wraps to exactly the holders the detail lists, and the recovery key', async () => {
    expect(await createInternalKey(c, detail({ holders: ['me', 'b'] }), self)).toBe('created');
    expect(sentTo(0)).toEqual(['me', 'b', 'rec']);
  });
  it('without holders, wraps to the keyed team; on 409 fetches the detail once and retries with its holders', async () => {
    api.internalKey.mockRejectedValueOnce(conflict('recipients_changed'));
    api.case.mockResolvedValue(detail({ holders: ['me', 'b'] }));
    expect(await createInternalKey(c, detail(), self)).toBe('created');
    expect(sentTo(0)).toEqual(['me', 'b', 'late', 'rec']);
    expect(sentTo(1)).toEqual(['me', 'b', 'rec']);
    // Unopenable by anyone it was not sent to.
    expect(() => unwrapKey(keyOf('late'), fromB64u(sent(1)[0]!.sealed))).toThrow();
    expect(api.case).toHaveBeenCalledTimes(1);
  });
  it('falls back to this officer and the recovery key when the server lists no holders', async () => {
    api.internalKey.mockRejectedValueOnce(conflict('recipients_changed'));
    api.case.mockResolvedValue(detail());
    expect(await createInternalKey(c, detail(), self)).toBe('created');
    expect(sentTo(1)).toEqual(['me', 'rec']);
  });
  it('retries only once', async () => {
    api.internalKey.mockRejectedValue(conflict('recipients_changed'));
    api.case.mockResolvedValue(detail({ holders: ['me'] }));
    await expect(createInternalKey(c, detail({ holders: ['me', 'b'] }), self)).rejects.toMatchObject({ code: 'recipients_changed' });
    expect(api.internalKey).toHaveBeenCalledTimes(2);
  });
  it('reports "exists" when another browser made the key first', async () => {
    api.internalKey.mockRejectedValueOnce(conflict('internal_key_exists'));
    expect(await createInternalKey(c, detail({ holders: ['me'] }), self)).toBe('exists');
    api.internalKey.mockRejectedValueOnce(conflict('recipients_changed'));
    api.case.mockResolvedValue(detail({ internalKeyWrap: 'x' }));
    expect(await createInternalKey(c, detail(), self)).toBe('exists');
  });
  it('never wraps to a recused officer', async () => {
    expect(await createInternalKey(c, detail({ recused: ['late'] }), self)).toBe('created');
    expect(sentTo(0)).toEqual(['me', 'b', 'rec']);
  });
});
