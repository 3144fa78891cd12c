// Turning a record into a report through the reporter's send machine, with real sealing: a
// reseal when the team's keys changed meanwhile, a lost answer recovered through the case the
// record became, a deleted record told apart from it, and a chain that does not reach the pinned
// organisation key refused before anything is sent.
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecipientsInfo, SubmitReport } from '../../../shared/src/api/schemas.ts';
import { createRecord, generateKeyPair, signingKeyPairFromSeed, signCert, signerIdOf, toB64u, unwrapKey, fromB64u, type Draft } from '../../../shared/src/crypto/index.ts';
import { certifiedRecipient, certifiedRecovery, DAY, readyCrypto } from '../../../shared/test/sealed-case.ts';
import { ApiError } from '../api.ts';
import { runSend, type SendState } from '../reporter/send.ts';
import type { OpenRecord } from './session.ts';

const fake = vi.hoisted(() => ({ recipients: vi.fn(), getCase: vi.fn(), toReport: vi.fn() }));
vi.mock('../api.ts', async (real) => {
  const actual = await real<typeof import('../api.ts')>();
  return { ...actual, api: { recipients: fake.recipients, getCase: fake.getCase }, recordApi: { toReport: fake.toReport } };
});
vi.mock('../pow/stamp.ts', () => ({ withStamp: (run: (stamp: string) => Promise<unknown>) => run('stamp') }));
const { recordSendEffects, RECORD_FAILURE } = await import('./send.ts');

const draft: Draft = { mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: 'My record, sent on' } };
let recovery: ReturnType<typeof generateKeyPair>;
const info = (...members: [string, Uint8Array][]): RecipientsInfo => ({
  team: { id: 't', label: 'Team' },
  recipients: [...members.map(([id, pk]) => certifiedRecipient(id, pk, false)), certifiedRecovery('recovery-1', recovery.publicKey)],
});
const wrappedTo = (body: SubmitReport) => body.keys.map((k) => k.recipient).sort();

let open: OpenRecord;
const send = () => runSend(draft, open.session.token, recordSendEffects(open), () => undefined, () => undefined);

beforeAll(async () => {
  await readyCrypto();
  recovery = generateKeyPair();
});
beforeEach(() => {
  vi.clearAllMocks();
  const rec = createRecord();
  open = { session: rec.session, opened: { recordKey: rec.recordKey, recordId: rec.recordId } } as unknown as OpenRecord;
});

describe('turning a record into a report', () => {
  it('fetches the team again and reseals when its keys changed meanwhile, and the new member can open the record key', async () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    fake.recipients.mockResolvedValueOnce(info(['a', a.publicKey])).mockResolvedValueOnce(info(['a', a.publicKey], ['b', b.publicKey]));
    fake.toReport.mockRejectedValueOnce(new ApiError(409, 'recipients_changed', 'changed')).mockResolvedValueOnce({ caseRef: 'RC-AAAA-BBBB', receivedOn: DAY });
    const end = await send();
    expect(end).toMatchObject({ kind: 'sent', caseRef: 'RC-AAAA-BBBB' });
    expect(fake.recipients).toHaveBeenCalledTimes(2);
    const bodies = fake.toReport.mock.calls.map((c) => c[1] as SubmitReport);
    expect(wrappedTo(bodies[0]!)).toEqual(['a', 'recovery-1']);
    expect(wrappedTo(bodies[1]!)).toEqual(['a', 'b', 'recovery-1']);
    // The record's own key, wrapped to the member who joined: the entries open for them without being sent again.
    const wrap = bodies[1]!.keys.find((k) => k.recipient === 'b')!;
    expect(toB64u(unwrapKey(b, fromB64u(wrap.sealed)))).toBe(toB64u(open.opened.recordKey));
  });

  it('gives up after repeated changes, with words that say so', async () => {
    fake.recipients.mockResolvedValue(info(['a', generateKeyPair().publicKey]));
    fake.toReport.mockRejectedValue(new ApiError(409, 'recipients_changed', 'changed'));
    const end = await send();
    expect(end).toEqual({ kind: 'failed', reason: 'recipients' } satisfies SendState);
    expect(fake.toReport).toHaveBeenCalledTimes(3);
    expect(RECORD_FAILURE.recipients.text).toContain('changed while we were sending');
  });

  it('finds the case when an earlier attempt arrived but its answer was lost', async () => {
    fake.recipients.mockResolvedValue(info(['a', generateKeyPair().publicKey]));
    fake.toReport.mockRejectedValueOnce(new ApiError(0, 'network', 'offline'));
    expect(await send()).toEqual({ kind: 'failed', reason: 'network' });
    // Try again: the record is a case now, so the record route no longer knows the token.
    fake.toReport.mockRejectedValueOnce(new ApiError(404, 'record_not_found', 'gone'));
    fake.getCase.mockResolvedValueOnce({ caseRef: 'RC-CCCC-DDDD', history: [{ on: DAY, status: 'received' }] });
    expect(await send()).toEqual({ kind: 'sent', caseRef: 'RC-CCCC-DDDD', receivedOn: DAY });
    expect(fake.getCase).toHaveBeenCalledTimes(1);
  });

  it('says it could not be sent when the record is gone and no case answers the token', async () => {
    fake.recipients.mockResolvedValue(info(['a', generateKeyPair().publicKey]));
    fake.toReport.mockRejectedValueOnce(new ApiError(404, 'record_not_found', 'gone'));
    fake.getCase.mockRejectedValueOnce(new ApiError(404, 'case_not_found', 'none'));
    expect(await send()).toEqual({ kind: 'failed', reason: 'server' });
    expect(RECORD_FAILURE.server.text).toContain('deleted');
  });

  it('sends nothing when a chain does not reach the pinned organisation key', async () => {
    const rogueOrg = signingKeyPairFromSeed(new Uint8Array(32).fill(99));
    const pk = generateKeyPair().publicKey;
    const forged = { team: 't', issued: DAY, replaces: null, kind: 'member' as const, subject: 'x', key: pk, seesIdentity: false, signer: rogueOrg.publicKey };
    const bad = info();
    bad.recipients.unshift({ id: 'x', publicKey: toB64u(pk), kind: 'staff', seesIdentity: false, chain: [signCert(forged, rogueOrg)] });
    expect(signerIdOf(rogueOrg.publicKey)).not.toBe('');
    fake.recipients.mockResolvedValue(bad);
    expect(await send()).toEqual({ kind: 'failed', reason: 'unverified' });
    expect(fake.toReport).not.toHaveBeenCalled();
  });
});
