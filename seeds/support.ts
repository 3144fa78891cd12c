// DEMO ONLY: a realistic but fictional list of where to get support. Every phone number is in
// Ofcom's range kept for drama (01632 960000–960999, 020 7946 0000–0999), every link and address
// is under example.org: nothing here reaches a real service.
import type { Kysely } from 'kysely';
import type { Database, SupportContactsTable } from '../server/src/db/database.ts';
import { insertContact, listContacts } from '../server/src/support/repository.ts';

type Contact = Omit<SupportContactsTable, 'sort'>;

const CONTACTS: Contact[] = [
  { id: 'demo-welfare', command_id: null, kind: 'welfare', name: 'Force welfare officers (DEMO)',
    description: 'Confidential welfare support for officers and staff, separate from Professional Standards.',
    phone: '01632 960101', url: 'https://welfare.example.org/', email: 'welfare@example.org' },
  { id: 'demo-fed', command_id: null, kind: 'association', name: 'Police Federation branch (DEMO)',
    description: 'Representation and advice for federated ranks.', phone: '01632 960202', url: 'https://federation.example.org/', email: null },
  { id: 'demo-unison', command_id: null, kind: 'association', name: 'Police staff union branch (DEMO)',
    description: 'Representation and advice for police staff.', phone: '01632 960203', url: 'https://staff-union.example.org/', email: null },
  { id: 'demo-supers', command_id: null, kind: 'association', name: 'Superintendents’ Association branch (DEMO)',
    description: 'Representation for superintending ranks.', phone: null, url: 'https://superintendents.example.org/', email: 'branch@example.org' },
  { id: 'demo-networks', command_id: null, kind: 'network', name: 'Staff networks (DEMO)',
    description: 'Peer support networks, including the race equality, women’s, LGBT+, disability and faith networks.',
    phone: null, url: 'https://networks.example.org/', email: 'networks@example.org' },
  { id: 'demo-eap', command_id: null, kind: 'eap', name: 'Employee assistance service (DEMO)',
    description: 'Free, confidential counselling and advice, 24 hours a day. The force is not told who calls.',
    phone: '01632 960404', url: 'https://eap.example.org/', email: null },
  { id: 'demo-helpline', command_id: null, kind: 'helpline', name: 'Independent whistleblowing helpline (DEMO)',
    description: 'Free, confidential advice from outside the police on raising a concern.', phone: '020 7946 0505', url: 'https://whistle.example.org/', email: null },
  { id: 'demo-samaritans', command_id: null, kind: 'helpline', name: 'Listening helpline (DEMO)',
    description: 'Someone to talk to, any time, about anything.', phone: '01632 960606', url: 'https://listening.example.org/', email: null },
  { id: 'demo-nw-welfare', command_id: 'nw-bcu', kind: 'welfare', name: 'North West BCU welfare officer (DEMO)',
    description: 'Your command’s own welfare officer, based at the BCU headquarters.', phone: '01632 960707', url: null, email: 'nw-welfare@example.org' },
  { id: 'demo-cs-welfare', command_id: 'cs-bcu', kind: 'welfare', name: 'Central South BCU welfare officer (DEMO)',
    description: 'Your command’s own welfare officer.', phone: '01632 960708', url: null, email: 'cs-welfare@example.org' },
];

/** Adds the demo list to an empty one (an administrator's own list is never touched). */
export async function seedSupportContacts(db: Kysely<Database>): Promise<void> {
  if ((await listContacts(db)).length > 0) return;
  const commands = new Set((await db.selectFrom('commands').select('id').execute()).map((c) => c.id));
  for (const [sort, c] of CONTACTS.entries()) {
    if (c.command_id !== null && !commands.has(c.command_id)) continue;
    await insertContact(db, { ...c, sort });
  }
}
