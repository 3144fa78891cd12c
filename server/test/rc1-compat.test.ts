// rc1 data keeps opening under rc2: a case stored exactly as an rc1 browser
// sealed it (the project's rc1 vectors: envelopes without a version byte) is
// served by the API and opened by the reporter's token and by the recovery key,
// and a new rc2 message can be added to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import project from '../../shared/test/project-vectors.json' with { type: 'json' };
import { demoRecoveryKeyPair } from '../../seeds/demo.ts';
import type { CaseView } from '../../shared/src/api/schemas.ts';
import {
  envelopeVersion, fromB64u, openCaseView, reporterSession, sealMessage, toB64u, wrapKey,
  type CaseToken, type PublicKey, type SymmetricKey,
} from '../../shared/src/crypto/index.ts';
import { openCaseAsRecipient } from '../src/case/open-case.ts';
import { insertCase, newCaseRef } from '../src/case/repository.ts';
import { addMessage } from '../src/case/repository.ts';
import { teamRecipients } from '../src/directory/repository.ts';
import { dialects } from './databases.ts';
import { makeApp, postMessage, TODAY, type TestApp } from './helpers.ts';

describe.each(dialects)('rc1 cases on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp(dialect);
  });
  afterAll(async () => t?.close());

  it('open for the reporter and the recovery key, and take new rc2 messages', async () => {
    const v = project.vectors[0]!;
    expect(envelopeVersion(fromB64u(v.envelope.ct))).toBe(1);
    const session = reporterSession(fromB64u(v.tokenBytes) as CaseToken);
    const caseKey = fromB64u(v.caseKey) as SymmetricKey;
    const recovery = (await teamRecipients(t.tdb.handle.db, 'nw-bcu-psu')).find((r) => r.kind === 'recovery')!;
    const caseRef = newCaseRef();
    const row = await insertCase(t.tdb.handle.db, {
      case_ref: caseRef, access_hash: v.accessHash, reporter_pk: v.reporterPk, mode: 'named', category_id: 'bullying',
      unit_id: 'nw-response-camden', team_id: 'nw-bcu-psu', status: 'received', received_on: TODAY, outcome: null,
      report_nonce: v.envelope.nonce, report_ct: v.envelope.ct,
      identity_nonce: v.identityEnvelope.nonce, identity_ct: v.identityEnvelope.ct,
      reporter_key: v.reporterKeyWrap,
      reporter_identity_key: toB64u(wrapKey(session.keyPair.publicKey, fromB64u(v.identityKey) as SymmetricKey)),
    }, [
      { recipient_id: recovery.id, kind: 'recovery', sealed: toB64u(wrapKey(fromB64u(recovery.publicKey) as PublicKey, caseKey)), identity: 0 },
    ]);
    await addMessage(t.tdb.handle.db, row.id, { id: v.messageId, sender: 'reporter', on: TODAY, nonce: v.messageEnvelope.nonce, ct: v.messageEnvelope.ct });

    const view = (await t.app.inject({ method: 'GET', url: '/api/v1/case', headers: { authorization: session.authorization } })).json<CaseView>();
    const opened = openCaseView(session, view);
    expect(opened.report).toEqual(v.report);
    expect(opened.identity).toEqual(v.identity);
    expect(opened.messages.map((m) => m.text)).toEqual([v.message.text]);

    // A follow-up written now is rc2, beside the rc1 records of the same case.
    const msg = sealMessage(opened.caseKey, session.keyPair.publicKey, 'reporter', 'Written under rc2');
    expect(fromB64u(msg.ct)[0]).toBe(2);
    expect((await postMessage(t.app, session.authorization, msg)).statusCode).toBe(201);

    const auditor = await openCaseAsRecipient(t.tdb.handle.db, caseRef, [demoRecoveryKeyPair()]);
    expect(auditor.report).toEqual(v.report);
    expect(auditor.messages.map((m) => m.text)).toEqual([v.message.text, 'Written under rc2']);
  });
});
