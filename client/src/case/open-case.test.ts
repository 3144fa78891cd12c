// The reporter's follow-up page opens its case with `openCaseView` from the
// crypto chunk that loadCrypto() fetches (FollowUpPage.tsx after the token,
// CaseDetails.tsx on refresh). Here it runs on cases sealed by the real
// reporter code, with real libsodium. A failure to open throws (the page then
// says "Your browser could not unlock your case"); a message that does not
// belong comes back with text null (shown as "This message could not be
// opened"), never as genuine text.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateToken, reporterSession } from '../../../shared/src/crypto/index.ts';
import { flipLastByte, newHolders, readyCrypto, sealCase } from '../../../shared/test/sealed-case.ts';
import { loadCrypto, type Crypto } from '../crypto.ts';
import { forgetEverything } from '../memory.ts';
import { caseStore, signOut } from './session.ts';

let c: Crypto;
beforeAll(async () => {
  await readyCrypto();
  c = await loadCrypto();
});

const NAMED = {
  mode: 'named' as const,
  category: 'bullying',
  unit: 'nw-cid',
  report: { narrative: 'My inspector shouts at me in front of the team', when: 'Last Tuesday' },
  identity: { name: 'PC Ada Marrow', role: 'PC' },
};
const ANONYMOUS = { mode: 'anonymous' as const, category: 'bullying', report: { narrative: 'Another case entirely' } };

describe('opening the reporter’s case view with real crypto', () => {
  it('opens the report, the identity and the messages from both sides', () => {
    const s = sealCase('RC-AAAA-AAAA', NAMED);
    s.addMessage('reporter', 'Is anyone reading this?');
    s.addMessage('triage', 'Yes. We will reply by Friday.', '2026-01-16');
    const o = c.openCaseView(s.session, s.reporterView());
    expect(o.report).toEqual({ schema: 'rc1/report', ...NAMED.report });
    expect(o.identity).toEqual({ schema: 'rc1/identity', ...NAMED.identity });
    expect(o.messages.map((m) => [m.from, m.on, m.text])).toEqual([
      ['reporter', '2026-01-15', 'Is anyone reading this?'],
      ['triage', '2026-01-16', 'Yes. We will reply by Friday.'],
    ]);
    // The key it found is the one triage holds, so the reporter's next message reaches them.
    expect([...o.caseKey]).toEqual([...s.caseKey]);
  });

  it('opens an anonymous case without an identity', () => {
    const s = sealCase('RC-CCCC-CCCC', ANONYMOUS);
    const o = c.openCaseView(s.session, s.reporterView());
    expect(o.report!.narrative).toBe('Another case entirely');
    expect(o.identity).toBeUndefined();
  });

  it('throws for any other token', () => {
    const s = sealCase('RC-AAAA-AAAA', NAMED);
    expect(() => c.openCaseView(reporterSession(generateToken()), s.reporterView())).toThrow();
  });

  it('throws for an altered report, identity or key wrap', () => {
    const s = sealCase('RC-AAAA-AAAA', NAMED);
    const v = s.reporterView();
    expect(() => c.openCaseView(s.session, { ...v, report: { ...v.report!, ct: flipLastByte(v.report!.ct) } })).toThrow();
    expect(() => c.openCaseView(s.session, { ...v, identity: { ...v.identity!, ct: flipLastByte(v.identity!.ct) } })).toThrow();
    expect(() => c.openCaseView(s.session, { ...v, reporterKey: flipLastByte(v.reporterKey) })).toThrow();
    expect(() => c.openCaseView(s.session, { ...v, reporterIdentityKey: flipLastByte(v.reporterIdentityKey!) })).toThrow();
  });

  it('throws when the report or identity comes from another case', () => {
    const a = sealCase('RC-AAAA-AAAA', NAMED);
    const b = sealCase('RC-BBBB-BBBB', NAMED);
    const va = a.reporterView();
    const vb = b.reporterView();
    expect(() => c.openCaseView(a.session, { ...va, report: vb.report })).toThrow();
    expect(() => c.openCaseView(a.session, { ...va, identity: vb.identity! })).toThrow();
    // The other case's wraps are to the other reporter's key: this token cannot open them.
    expect(() => c.openCaseView(a.session, { ...va, report: vb.report, reporterKey: vb.reporterKey })).toThrow();
    expect(() => c.openCaseView(a.session, { ...va, identity: vb.identity!, reporterIdentityKey: vb.reporterIdentityKey! })).toThrow();
  });

  it('marks a message moved from another case, renamed, relabelled or altered as unopenable, and still opens the rest', () => {
    const holders = newHolders();
    const a = sealCase('RC-AAAA-AAAA', NAMED, holders);
    const b = sealCase('RC-BBBB-BBBB', ANONYMOUS, holders);
    const good = a.addMessage('triage', 'The genuine reply');
    // The server says triage wrote it, but the reporter sealed it: a server cannot put words in the team's mouth.
    const relabelled = { ...a.addMessage('reporter', 'Sealed by the reporter'), from: 'triage' as const };
    const renamed = { ...a.addMessage('triage', 'Its id is changed'), id: b.addMessage('triage', 'x').id };
    const altered = a.addMessage('triage', 'Its ciphertext is changed');
    altered.ct = flipLastByte(altered.ct);
    const moved = b.addMessage('triage', 'Written in another case');
    const v = a.reporterView();
    v.messages = [good, relabelled, renamed, altered, moved];
    const o = c.openCaseView(a.session, v);
    expect(o.messages.map((m) => [m.id, m.from, m.text])).toEqual([
      [good.id, 'triage', 'The genuine reply'],
      [relabelled.id, 'triage', null],
      [renamed.id, 'triage', null],
      [altered.id, 'triage', null],
      [moved.id, 'triage', null],
    ]);
    expect(o.report!.narrative).toBe(NAMED.report.narrative);
  });

  it('signing out, or leaving with "Exit this page", overwrites the token, keys and case key it held', () => {
    for (const leave of [signOut, forgetEverything]) {
      const s = sealCase('RC-AAAA-AAAA', NAMED);
      const opened = c.openCaseView(s.session, s.reporterView());
      caseStore.set({ session: s.session, view: s.reporterView(), opened });
      leave();
      expect(caseStore.get()).toBeNull();
      for (const bytes of [s.session.token, s.session.accessKey, s.session.keyPair.secretKey, opened.caseKey]) {
        expect(bytes.every((b) => b === 0)).toBe(true);
      }
    }
  });
});
