// What the case says, decrypted in this browser.
import type { OutcomeCode } from '../../../shared/src/api/domain.ts';
import { InsetText, SummaryList, Tag, WarningText, type SummaryRow } from '../components/Simple.tsx';
import { formatDay, statusColour, statusWords } from '../reporter/words.ts';
import { accountRows, textRows } from '../components/reportRows.ts';
import { entryRows } from '../components/recordRows.ts';
import type { CaseRecord } from '../../../shared/src/api/record.ts';
import { RECEIPT_STATUS_WORDS, useEntryReceipts } from '../receipt/entries.ts';
import { useEffect, useState } from 'preact/hooks';
import { EntryFiles } from '../attachments/EntryFiles.tsx';
import { openEntries, type FileEntry } from '../attachments/read.ts';
import { loadStaffCrypto } from '../staff/crypto.ts';
import type { OpenedStaffCase } from './opened.ts';
import { CaseTrail } from '../case/CaseTrail.tsx';
import { SurveyAnswers } from './SurveyAnswers.tsx';
import { IOPC_GROUNDS, OUTCOME_LABELS, SEVERITY_LABELS } from './words.ts';
import { AdviceHistory, AdviceQuestion, KindTags } from './AdviceCase.tsx';

function reportRows(o: OpenedStaffCase): SummaryRow[] {
  const r = o.report;
  if (!r) return [];
  return [
    ...accountRows(r),
    ...textRows([
      ['Category the reporter chose', r.categoryLabel],
      ['Unit the reporter chose', r.unitLabel],
    ]),
  ];
}

export function CaseView({ opened }: { opened: OpenedStaffCase }) {
  const d = opened.detail;
  const meta: SummaryRow[] = [
    d.kind === 'advice'
      ? { key: 'Kind', value: <KindTags opened={opened} /> }
      : { key: 'Status', value: <><Tag colour={statusColour(d.status)}>{statusWords(d.status)}</Tag> <KindTags opened={opened} /></> },
    ...(d.outcome ? [{ key: 'Outcome', value: OUTCOME_LABELS[d.outcome as OutcomeCode] ?? d.outcome }] : []),
    ...(d.category ? [{ key: 'Category', value: d.category.label }] : []),
    { key: 'Unit', value: d.unit?.label ?? 'Not given' },
    { key: 'Team', value: d.team.label },
    { key: 'Received', value: formatDay(d.receivedOn) },
    ...(d.kind === 'advice'
      ? [{ key: 'Reply by', value: d.adviceDue ? formatDay(d.adviceDue) : 'Answered' }]
      : [{ key: 'Acknowledge by', value: formatDay(d.due.acknowledge) }, { key: 'Feedback by', value: formatDay(d.due.feedback) }]),
    { key: 'Assigned to', value: d.assignedTo?.displayName ?? 'Nobody' },
    { key: 'Reporter', value: d.mode === 'named' ? 'Gave their name' : 'Anonymous' },
  ];
  return (
    <>
      <span class="govuk-caption-l">{d.team.label}</span>
      <h1 class="govuk-heading-l">{d.kind === 'advice' ? 'Advice request' : 'Case'} {d.caseRef}</h1>
      <SummaryList rows={meta} />

      <AdviceQuestion opened={opened} />
      {opened.report && (
        <>
          <h2 class="govuk-heading-m">The report</h2>
          <SummaryList rows={reportRows(opened)} />
        </>
      )}

      {opened.record && d.record && <RecordEntries opened={opened} entries={opened.record} caseRef={d.caseRef} wire={d.record} />}

      {opened.identity && (
        <>
          <h2 class="govuk-heading-m">Who reported it</h2>
          <WarningText>This is confidential. Do not share the reporter’s name with anyone who does not need to know it, and never with the people involved.</WarningText>
          <SummaryList
            rows={[
              { key: 'Name', value: opened.identity.name },
              ...(opened.identity.role ? [{ key: 'Role', value: opened.identity.role }] : []),
              ...(opened.identity.contact ? [{ key: 'Contact', value: opened.identity.contact }] : []),
            ]}
          />
        </>
      )}

      <h2 class="govuk-heading-m" id="messages">
        Messages with the reporter
      </h2>
      {d.status === 'closed' && opened.messages.at(-1)?.from === 'reporter' && (
        <InsetText>The reporter wrote after this case was closed. Reply below, or ask a team lead to reopen the case.</InsetText>
      )}
      {opened.messages.length === 0 && <p class="govuk-body">No messages yet.</p>}
      {opened.messages.map((m) => (
        <div class={`app-message${m.from === 'triage' ? ' app-message--triage' : ''}`} key={m.id}>
          <p class="govuk-body-s govuk-!-margin-bottom-1">
            <strong>{m.from === 'triage' ? 'Your team' : 'Reporter'}</strong>, {formatDay(m.on)}
          </p>
          <p class="govuk-body govuk-!-margin-bottom-0">{m.text ?? 'This message could not be opened.'}</p>
        </div>
      ))}

      <h2 class="govuk-heading-m" id="notes">
        Internal notes
      </h2>
      <p class="govuk-body-s">Internal notes are never shown to the reporter.</p>
      {opened.notes.length === 0 && <p class="govuk-body">No internal notes yet.</p>}
      {opened.notes.map((n) => (
        <div class="app-note" key={n.id}>
          <p class="govuk-body-s govuk-!-margin-bottom-1">
            <strong>{n.author}</strong>, {formatDay(n.on)}
            {n.content?.assessment && ' — assessment'}
          </p>
          {n.content?.assessment && (
            <ul class="govuk-list govuk-list--bullet govuk-body-s">
              <li>
                IOPC mandatory referral:{' '}
                {n.content.assessment.iopcMandatoryReferral ? `yes (${n.content.assessment.iopcGrounds.map((g) => IOPC_GROUNDS[g] ?? g).join(', ')})` : 'no'}
              </li>
              <li>Severity: {SEVERITY_LABELS[n.content.assessment.severity] ?? n.content.assessment.severity}</li>
              <li>Welfare concern: {n.content.assessment.welfareConcern ? 'yes' : 'no'}</li>
              <li>Risk of victimisation: {n.content.assessment.victimisationRisk ? 'yes' : 'no'}</li>
            </ul>
          )}
          <p class="govuk-body govuk-!-margin-bottom-0">{n.content ? n.content.text : 'This note could not be opened.'}</p>
        </div>
      ))}

      <CaseTrail
        steps={d.history.map((h) => ({ status: h.status, on: h.on, ...(h.to ? { to: h.to.label } : {}), ...(h.by ? { by: h.by.displayName } : {}) }))}
        outcome={d.outcome}
        due={d.due}
        audience="staff"
      />
      {(d.convertedOn || d.welfare.requestedOn || d.welfare.offeredOn) && (
        <>
          <h2 class="govuk-heading-m">Advice and support</h2>
          <ul class="govuk-list">
            <AdviceHistory opened={opened} />
          </ul>
        </>
      )}
      <SurveyAnswers opened={opened} />
    </>
  );
}

/** The reporter's private record, kept before they reported: each entry with the day it was received. */
function RecordEntries({ opened, entries, caseRef, wire }: {
  opened: OpenedStaffCase; entries: NonNullable<OpenedStaffCase['record']>; caseRef: string; wire: CaseRecord;
}) {
  const receipts = useEntryReceipts(caseRef, wire.id, wire.entries);
  // The record's files are the case's now; each entry names its own in its sealed body.
  const [files, setFiles] = useState<FileEntry[] | null>(null);
  useEffect(() => {
    void loadStaffCrypto().then((c) => setFiles(openEntries(c.rc1, opened.caseKey, opened.reporterPk, opened.detail.attachments)));
  }, [opened]);
  return (
    <>
      <h2 class="govuk-heading-m" id="record">
        The reporter’s record
      </h2>
      <p class="govuk-body">
        The reporter kept this record before sending the report. Each entry shows the day it was received; its sealed text has not
        changed since.
      </p>
      <ol class="govuk-list">
        {entries.map((e, i) => (
          <li key={e.id} class="govuk-summary-card" data-testid="record-entry">
            <div class="govuk-summary-card__title-wrapper">
              <h3 class="govuk-summary-card__title">
                Entry {i + 1}: received {formatDay(e.on)}
              </h3>
            </div>
            <div class="govuk-summary-card__content">
              <SummaryList
                rows={[
                  ...entryRows(e),
                  ...(e.entry?.attachments?.length && files ? [{
                    key: 'Files',
                    value: (
                      <EntryFiles
                        refs={e.entry.attachments} files={files} reference={caseRef}
                        chunkUrl={(id, n) => `/api/v1/staff/cases/${encodeURIComponent(caseRef)}/attachments/${id}/chunks/${n}`}
                      />
                    ),
                  }] : []),
                  { key: 'Sealed hash', value: e.hashMatches ? 'Matches the stored entry' : 'Does not match the stored entry' },
                  { key: 'Receipt', value: <span data-testid="entry-receipt">{RECEIPT_STATUS_WORDS[receipts[i] ?? 'checking']}</span> },
                ]}
              />
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
