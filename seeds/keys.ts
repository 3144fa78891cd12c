// DEMO ONLY key certificates: a deterministic organisation key certifies every demo
// lead's signing key (derived from their demo X25519 key, as a lead's browser derives
// it) and the demo recovery key; each team's first lead then certifies the demo keys
// of the team's members, through the same service a lead's browser calls. An account
// enrolled in the demo with a browser-made key is left for a lead to certify.
import type { Kysely } from 'kysely';
import {
  certifyMemberKey, DEMO_ORG_LABEL, demoSigningKeyPair, fromB64u, leadSigningKeyPair, signCert, signerIdOf, toB64u, type KeyPair,
} from '../shared/src/crypto/index.ts';
import type { Database } from '../server/src/db/database.ts';
import { getOrgKey, logHead, setOrgKey, teamCerts } from '../server/src/directory/certificates.ts';
import { certifiedRecovery, enrolledMembers, keyedMembers, recoveryKeyId } from '../server/src/directory/repository.ts';
import { certifyMember, installOrgCertificate } from '../server/src/directory/service.ts';

type Db = Kysely<Database>;

export const demoOrgKeyPair = () => demoSigningKeyPair(DEMO_ORG_LABEL);

export async function certifyDemoKeys(db: Db, today: string, keyPairOf: (u: string) => KeyPair, recovery: KeyPair): Promise<void> {
  const org = demoOrgKeyPair();
  const orgKey = toB64u(org.publicKey);
  if ((await getOrgKey(db)) !== orgKey) await setOrgKey(db, orgKey);
  const base = { issued: today, replaces: null, signer: org.publicKey };
  if ((await certifiedRecovery(db)).length === 0) {
    const id = recoveryKeyId(toB64u(recovery.publicKey));
    const w = signCert({ ...base, kind: 'recovery', team: '', subject: id, key: recovery.publicKey, seesIdentity: true }, org);
    await installOrgCertificate(db, w, null, null, today);
  }
  const teams = await db.selectFrom('teams').select('id').orderBy('id').execute();
  for (const { id: team } of teams) {
    const members = await enrolledMembers(db, team);
    const demoKey = (m: { id: string; public_key: string | null }) => m.public_key === toB64u(keyPairOf(m.id).publicKey);
    const leads = members.filter((m) => m.lead === 1 && demoKey(m));
    const certs = await teamCerts(db, team);
    for (const l of leads) {
      const signing = leadSigningKeyPair(keyPairOf(l.id).secretKey);
      if (certs.some((c) => c.kind === 'lead' && c.staff_id === l.id && c.public_key === toB64u(signing.publicKey))) continue;
      const w = signCert({ ...base, kind: 'lead', team, subject: signerIdOf(signing.publicKey), key: signing.publicKey, seesIdentity: false }, org);
      await installOrgCertificate(db, w, l.id, null, today);
    }
    const lead = leads[0];
    if (!lead) continue;
    const signing = leadSigningKeyPair(keyPairOf(lead.id).secretKey);
    const done = new Set((await keyedMembers(db, team)).map((m) => m.id));
    for (const m of members) {
      if (done.has(m.id) || !demoKey(m)) continue;
      const head = await logHead(db, team);
      const req = certifyMemberKey({
        team, memberKey: fromB64u(m.public_key as string), seesIdentity: m.sees_identity === 1, issued: today, replaces: null,
        head: { seq: Number(head?.seq ?? 0), hash: head?.hash ?? '' }, lead: signing,
      });
      // Before the demo's mail addresses exist, so certifying the demo keys mails nobody.
      await certifyMember(db, { id: lead.id, teams: [{ id: team, lead: true }] }, { staffId: m.id, ...req }, today, Date.parse(`${today}T12:00:00Z`));
    }
  }
}
