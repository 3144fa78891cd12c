// The sealed bytes a case holds, for comparing with a receipt. Kysely only.
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

export interface StoredSealed {
  kind: 'report' | 'message' | 'entry' | 'attachment';
  /** A file's attachment hash, computed when its upload completed (PROTOCOL.md "Attachments"); nonce and ct are empty. */
  hash?: string;
  /** An entry of the private record this case began as: its sealed bytes are not one envelope (record.ts entrySealedBytes). */
  entry?: { recordId: string; id: string; subject: { nonce: string; ct: string } };
  from?: 'reporter' | 'triage';
  on: string;
  nonce: string;
  ct: string;
}

/** The report envelope and every message of the case (a purged case's report is empty and matches nothing). */
export async function sealedRecordsOf(db: Kysely<Database>, caseId: number): Promise<StoredSealed[]> {
  const c = await db.selectFrom('cases').select(['received_on', 'report_nonce', 'report_ct']).where('id', '=', caseId).executeTakeFirst();
  const msgs = await db.selectFrom('messages').select(['sender', 'on', 'nonce', 'ct']).where('case_id', '=', caseId).orderBy('n').execute();
  const entries = await db.selectFrom('record_entries').innerJoin('records', 'records.id', 'record_entries.record_id')
    .select(['record_entries.record_id', 'record_entries.id', 'record_entries.on', 'entry_nonce', 'entry_ct', 'subject_nonce', 'subject_ct'])
    .where('records.case_id', '=', caseId).orderBy('record_entries.n').execute();
  const files = await db.selectFrom('uploads').select(['sealed_hash', 'completed_on'])
    .where('case_id', '=', caseId).where('state', '=', 'complete').execute();
  return [
    ...files.flatMap((f) => (f.sealed_hash && f.completed_on ? [{ kind: 'attachment' as const, on: f.completed_on, nonce: '', ct: '', hash: f.sealed_hash }] : [])),
    ...(c && c.report_nonce !== null && c.report_ct !== null ? [{ kind: 'report' as const, on: c.received_on, nonce: c.report_nonce, ct: c.report_ct }] : []),
    ...msgs.map((m) => ({ kind: 'message' as const, from: m.sender, on: m.on, nonce: m.nonce, ct: m.ct })),
    ...entries.map((e) => ({
      kind: 'entry' as const, on: e.on, nonce: e.entry_nonce, ct: e.entry_ct,
      entry: { recordId: e.record_id, id: e.id, subject: { nonce: e.subject_nonce, ct: e.subject_ct } },
    })),
  ];
}
