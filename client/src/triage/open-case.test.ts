// openStaffCase against real libsodium: cases sealed by the real reporter code
// (shared/test/sealed-case.ts), opened with the crypto module the staff pages
// load. Anything the server could alter or swap must throw or be marked as
// unopenable (text / content null), never be shown as if it were genuine.
import { beforeAll, describe, expect, it } from 'vitest';
import { flipLastByte, newHolders, readyCrypto, sealCase, type SealedCase } from '../../../shared/test/sealed-case.ts';
import { loadStaffCrypto, type Crypto } from '../staff/crypto.ts';
import { openStaffCase, wipe } from './opened.ts';

let c: Crypto;
beforeAll(async () => {
  await readyCrypto();
  c = await loadStaffCrypto();
});

const NAMED = {
  mode: 'named' as const,
  category: 'bullying',
  unit: 'nw-cid',
  report: { narrative: 'Sergeant Quillby mocks my accent in every briefing', people: 'Sgt Quillby', categoryLabel: 'Bullying' },
  identity: { name: 'PC Ada Marrow', contact: 'ada@example.test' },
};
const ANONYMOUS = { mode: 'anonymous' as const, category: 'bullying', report: { narrative: 'Another case entirely' } };
const ASSESSMENT = { iopcMandatoryReferral: false, iopcGrounds: [], severity: 'misconduct' as const, welfareConcern: true, victimisationRisk: false };

/** A named case with a message each way and one assessed note. */
function busyCase(ref = 'RC-AAAA-AAAA'): SealedCase {
  const s = sealCase(ref, NAMED);
  s.addMessage('reporter', 'It happened again today');
  s.addMessage('triage', 'Thank you; which shift was it?', '2026-01-16');
  s.addNote({ text: 'Speak to the duty inspector', assessment: ASSESSMENT });
  return s;
}

describe('openStaffCase with real crypto', () => {
  it('opens the report, identity, messages and notes for an officer who may see identity', () => {
    const s = busyCase();
    const o = openStaffCase(c, s.holders.lead, s.staffView('lead'));
    expect(o.report).toEqual({ schema: 'rc1/report', ...NAMED.report });
    expect(o.identity).toEqual({ schema: 'rc1/identity', ...NAMED.identity });
    expect([...o.caseKey]).toEqual([...s.caseKey]);
    expect([...o.reporterPk]).toEqual([...s.session.keyPair.publicKey]);
    expect(o.messages.map((m) => [m.from, m.on, m.text])).toEqual([
      ['reporter', '2026-01-15', 'It happened again today'],
      ['triage', '2026-01-16', 'Thank you; which shift was it?'],
    ]);
    expect(o.notes).toEqual([{ id: s.notes[0]!.id, on: '2026-01-15', author: 'Demo Lead', content: { text: 'Speak to the duty inspector', assessment: ASSESSMENT } }]);
  });

  it('gives an officer without an identity wrap the report but no identity', () => {
    const s = busyCase();
    const o = openStaffCase(c, s.holders.officer, s.staffView('officer'));
    expect(o.report!.narrative).toBe(NAMED.report.narrative);
    expect(o.identity).toBeUndefined();
    expect(o.identityKey).toBeUndefined();
    expect(o.notes[0]!.content?.text).toBe('Speak to the duty inspector');
  });

  it('throws for a key pair the case was not wrapped to', () => {
    const s = busyCase();
    expect(() => openStaffCase(c, s.holders.officer, s.staffView('lead'))).toThrow();
    expect(() => openStaffCase(c, newHolders().lead, s.staffView('lead'))).toThrow();
  });

  it('throws for an altered report, identity or key wrap', () => {
    const s = busyCase();
    const v = s.staffView('lead');
    expect(() => openStaffCase(c, s.holders.lead, { ...v, report: { ...v.report!, ct: flipLastByte(v.report!.ct) } })).toThrow();
    expect(() => openStaffCase(c, s.holders.lead, { ...v, report: { ...v.report!, nonce: flipLastByte(v.report!.nonce) } })).toThrow();
    expect(() => openStaffCase(c, s.holders.lead, { ...v, identity: { ...v.identity!, ct: flipLastByte(v.identity!.ct) } })).toThrow();
    expect(() => openStaffCase(c, s.holders.lead, { ...v, keyWrap: flipLastByte(v.keyWrap) })).toThrow();
    expect(() => openStaffCase(c, s.holders.lead, { ...v, identityWrap: flipLastByte(v.identityWrap!) })).toThrow();
  });

  it('throws when the report, identity or reporter key comes from another case', () => {
    const holders = newHolders();
    const a = sealCase('RC-AAAA-AAAA', NAMED, holders);
    const b = sealCase('RC-BBBB-BBBB', NAMED, holders);
    const va = a.staffView('lead');
    const vb = b.staffView('lead');
    // Another case's report under this case's wraps: a different case key.
    expect(() => openStaffCase(c, holders.lead, { ...va, report: vb.report })).toThrow();
    // Another case's report with its own wrap (both wrapped to this officer): bound to the other reporter's key.
    expect(() => openStaffCase(c, holders.lead, { ...va, report: vb.report, keyWrap: vb.keyWrap })).toThrow();
    // Another case's identity, with its identity wrap: it names a different reporter.
    expect(() => openStaffCase(c, holders.lead, { ...va, identity: vb.identity!, identityWrap: vb.identityWrap! })).toThrow();
    // The server swaps in another reporter's public key: nothing sealed for this case opens under it.
    expect(() => openStaffCase(c, holders.lead, { ...va, reporterPk: vb.reporterPk })).toThrow();
  });

  it('marks a message moved from another case, renamed, relabelled or altered as unopenable, and still opens the rest', () => {
    const holders = newHolders();
    const a = sealCase('RC-AAAA-AAAA', NAMED, holders);
    const b = sealCase('RC-BBBB-BBBB', ANONYMOUS, holders);
    const good = a.addMessage('reporter', 'The genuine message');
    const relabelled = { ...a.addMessage('reporter', 'Sealed as the reporter'), from: 'triage' as const };
    const renamed = { ...a.addMessage('triage', 'Its id is changed'), id: b.addMessage('triage', 'x').id };
    const altered = a.addMessage('triage', 'Its ciphertext is changed');
    altered.ct = flipLastByte(altered.ct);
    const moved = b.addMessage('triage', 'Written in another case');
    const v = a.staffView('lead');
    v.messages = [good, relabelled, renamed, altered, moved].map((m) => ({ ...m, read: true }));
    const o = openStaffCase(c, holders.lead, v);
    expect(o.messages.map((m) => [m.id, m.text])).toEqual([
      [good.id, 'The genuine message'],
      [relabelled.id, null],
      [renamed.id, null],
      [altered.id, null],
      [moved.id, null],
    ]);
    expect(o.report!.narrative).toBe(NAMED.report.narrative);
  });

  it('marks a note moved from another case or altered as unopenable, and every note without an internal key', () => {
    const holders = newHolders();
    const a = sealCase('RC-AAAA-AAAA', NAMED, holders);
    const b = sealCase('RC-BBBB-BBBB', ANONYMOUS, holders);
    const good = a.addNote({ text: 'Genuine note' });
    const altered = a.addNote({ text: 'Altered note' });
    altered.ct = flipLastByte(altered.ct);
    const moved = b.addNote({ text: 'Note from another case' });
    const v = a.staffView('lead');
    v.notes = [good, altered, moved];
    expect(openStaffCase(c, holders.lead, v).notes.map((n) => [n.id, n.content?.text ?? null])).toEqual([
      [good.id, 'Genuine note'],
      [altered.id, null],
      [moved.id, null],
    ]);
    // Another case's internal key wrap opens (it is wrapped to this officer) but fits none of these
    // notes, not even that case's own note: notes are bound to their case's reporter key.
    const otherWrap = b.staffView('lead').internalKeyWrap!;
    expect(openStaffCase(c, holders.lead, { ...v, internalKeyWrap: otherWrap }).notes.map((n) => n.content)).toEqual([null, null, null]);
    const { internalKeyWrap: _dropped, ...noKey } = v;
    expect(openStaffCase(c, holders.lead, noKey).notes.map((n) => n.content)).toEqual([null, null, null]);
  });

  it('wipe overwrites every key it holds', () => {
    const s = busyCase();
    const o = openStaffCase(c, s.holders.lead, s.staffView('lead'));
    wipe(o);
    for (const key of [o.caseKey, o.identityKey!, o.internalKey!]) expect(key.every((b) => b === 0)).toBe(true);
  });
});
