// DEMO ONLY data: staff with deterministic key pairs, the demo recovery key,
// and a few synthetic cases sealed exactly as a browser would seal them.
// Loaded only in demo mode; a real deployment has none of this.
import type { Kysely } from 'kysely';
import type { ReportMode } from '../shared/src/api/domain.ts';
import {
  accessHashOf, demoKeyPair, demoToken, formatToken, openCaseView, reporterSession, sealMessage, sealSubmission, toB64u,
  type CaseToken, type KeyPair,
} from '../shared/src/crypto/index.ts';
import { caseView } from '../server/src/case/service.ts';
import { addMessage, findByAccessHash, setStatus } from '../server/src/case/repository.ts';
import type { Database } from '../server/src/db/database.ts';
import { addDays } from '../shared/src/domain/clock.ts';
import { recipientsFor, submitReport } from '../server/src/intake/service.ts';
import { addTeamMember, setRecoveryKey, upsertStaff } from '../server/src/directory/repository.ts';
import { CENTRAL_TEAMS, COMMANDS } from './structure.ts';

export { demoEnrolmentSecret, demoPassphrase, demoSignInUsernames, demoTotpSecret, seedDemoStaff, type DemoAccount } from './staff.ts';

type Db = Kysely<Database>;

export const DEMO_RECOVERY_LABEL = 'DEMO ONLY rc1 recovery';
export const demoRecoveryKeyPair = (): KeyPair => demoKeyPair(DEMO_RECOVERY_LABEL);
export const demoStaffKeyPair = (username: string): KeyPair => demoKeyPair(`DEMO ONLY rc1 staff ${username}`);

/** Every team gets two demo officers: the first may see a named reporter's identity, the second may not. */
export function demoStaff(): { username: string; displayName: string; team: string; seesIdentity: boolean }[] {
  const teams = [...CENTRAL_TEAMS, ...COMMANDS.map((c) => c.psuTeam)];
  return teams.flatMap((t) => [1, 2].map((n) => ({
    username: `${t.id}-${n}`,
    displayName: `Demo officer ${n}, ${t.label}`,
    team: t.id,
    seesIdentity: n === 1,
  })));
}

export async function seedDemoKeys(db: Db, today: string): Promise<void> {
  for (const s of demoStaff()) {
    await upsertStaff(db, {
      id: s.username, username: s.username, display_name: s.displayName, role: 'triage',
      public_key: toB64u(demoStaffKeyPair(s.username).publicKey), created_on: today,
    });
    await addTeamMember(db, s.team, s.username, s.seesIdentity);
  }
  await setRecoveryKey(db, toB64u(demoRecoveryKeyPair().publicKey));
}

interface DemoCase {
  label: string;
  daysAgo: number;
  mode: ReportMode;
  category: string;
  unit?: string;
  avoidOwnUnit?: boolean;
  narrative: string;
  identity?: { name: string; role: string };
  triageReply?: string;
  status?: 'acknowledged' | 'closed';
}

const CASES: DemoCase[] = [
  {
    label: 'DEMO ONLY rc1 token 1', daysAgo: 12, mode: 'anonymous', category: 'sexual-harassment', unit: 'nw-response-camden',
    narrative: 'Synthetic demo report. A sergeant keeps making comments about how junior colleagues look during briefings.',
    triageReply: 'Thank you for telling us. We have read your report and will look into it. Can you tell us roughly when the comments started?',
    status: 'acknowledged',
  },
  {
    label: 'DEMO ONLY rc1 token 2', daysAgo: 3, mode: 'named', category: 'discrimination', unit: 'cs-custody-brixton',
    narrative: 'Synthetic demo report. Racist jokes are shared in the custody team group chat.',
    identity: { name: 'Demo Reporter', role: 'Detention officer' },
  },
  {
    label: 'DEMO ONLY rc1 token 3', daysAgo: 40, mode: 'anonymous', category: 'bullying', unit: 'ea-response-havering', avoidOwnUnit: true,
    narrative: 'Synthetic demo report. A team leader shouts at probationers and leaves them off overtime lists.',
    triageReply: 'We have finished looking into this. Management action has been taken with the person concerned.',
    status: 'closed',
  },
];

export const demoCaseToken = (n: number): CaseToken => demoToken(`DEMO ONLY rc1 token ${n}`);

/** Seeds the synthetic cases once; returns their tokens as shown to a reporter. */
export async function seedDemoCases(db: Db, today: string): Promise<string[]> {
  const shown: string[] = [];
  for (const c of CASES) {
    const token = demoToken(c.label);
    shown.push(formatToken(token));
    const session = reporterSession(token);
    const accessHash = toB64u(accessHashOf(session.accessKey));
    if (await findByAccessHash(db, accessHash)) continue;

    const recipients = await recipientsFor(db, c);
    const { body } = sealSubmission({
      mode: c.mode, category: c.category,
      ...(c.unit !== undefined ? { unit: c.unit } : {}),
      ...(c.avoidOwnUnit !== undefined ? { avoidOwnUnit: c.avoidOwnUnit } : {}),
      report: { narrative: c.narrative, when: 'Over the last few months' },
      ...(c.identity ? { identity: c.identity } : {}),
    }, recipients.recipients, token);
    const receivedOn = addDays(today, -c.daysAgo);
    await submitReport(db, body, receivedOn);

    const row = await findByAccessHash(db, accessHash);
    if (!row) throw new Error('demo case vanished');
    if (c.triageReply) {
      // The triage UI comes later; the demo seals its reply the same way a triage browser will.
      const { caseKey } = openCaseView(session, await caseView(db, row, today));
      const msg = sealMessage(caseKey, session.keyPair.publicKey, 'triage', c.triageReply);
      const on = addDays(receivedOn, 2);
      await setStatus(db, row.id, 'acknowledged', { on });
      await addMessage(db, row.id, { ...msg, sender: 'triage', on });
    }
    if (c.status === 'closed') await setStatus(db, row.id, 'closed', { on: addDays(receivedOn, 30), outcome: 'management_action' });
  }
  return shown;
}
