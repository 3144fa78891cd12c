import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Crypto } from '../staff/crypto.ts';
import type { CaseDetail, Member } from '../staff/types.ts';

const api = vi.hoisted(() => ({
  members: vi.fn(),
  recipients: vi.fn(),
  internalKey: vi.fn(),
  case: vi.fn(),
}));
vi.mock('../staff/api.ts', () => ({ staffApi: api }));
const { createInternalKey } = await import('./opened.ts');

// A stand-in for libsodium: "wrapping" records who a key was sealed to.
const c = {
  rc1: {
    generateKey: () => new Uint8Array(32).fill(7),
    fromB64u: (s: string) => new TextEncoder().encode(s),
    toB64u: (b: Uint8Array) => new TextDecoder().decode(b),
    wrapKey: (pk: Uint8Array) => pk,
  },
} as unknown as Crypto;
const member = (id: string): Member => ({ id, displayName: id, role: 'triage', publicKey: `pk-${id}`, seesIdentity: false });
const self = { id: 'me', publicKey: 'pk-me' };
const detail = (extra: object = {}) =>
  ({ caseRef: 'RC-AAAA-BBBB', team: { id: 't', label: 'T' }, category: { id: 'cat', label: 'Cat' }, unit: null, ...extra }) as unknown as CaseDetail;
const conflict = (code: string) => Object.assign(new Error(code), { status: 409, code });
const sentTo = (call: number) => (api.internalKey.mock.calls[call]?.[1] as { recipient: string }[]).map((w) => w.recipient);

beforeEach(() => {
  vi.resetAllMocks();
  api.members.mockResolvedValue([member('me'), member('b'), member('late')]);
  api.recipients.mockResolvedValue({ team: { id: 't', label: 'T' }, recipients: [{ id: 'rec', publicKey: 'pk-rec', kind: 'recovery', seesIdentity: true }] });
  api.internalKey.mockResolvedValue(null);
});

describe('createInternalKey', () => {
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
