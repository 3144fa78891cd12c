import { entryRows } from '../components/recordRows.ts';
import { EntryFiles } from '../attachments/EntryFiles.tsx';
import { RECEIPT_STATUS_WORDS, useEntryReceipts } from '../receipt/entries.ts';
import { receiptFileName } from '../receipt/ReceiptSave.tsx';
import { downloadText } from '../receipt/save.ts';
import { receiptText, type Receipt } from '../../../shared/src/crypto/receipt-format.ts';

/** A receipt is the holder's proof that this entry was received, unchanged, on that day: theirs to keep. */
const saveReceipt = (r: Receipt) => downloadText(receiptFileName(r), receiptText(r), 'application/json');
import { Button, InsetText, SummaryList, WarningText } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { formatDay } from '../reporter/words.ts';
import { closeRecord, type OpenRecord } from './session.ts';

/** The holder's record: every entry, dated to the day it arrived, and what they can do next. */
export function RecordPage({ open }: { open: OpenRecord }) {
  usePage('Your record');
  const entries = open.opened.entries;
  const receipts = useEntryReceipts(undefined, open.view.id, open.view.entries);
  const fileReceipts = new Map(open.view.attachments.flatMap((f) => (f.receipt ? [[f.id, f.receipt] as const] : [])));
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <h1 class="govuk-heading-l">Your record</h1>
        <p class="govuk-body">Only you can read this. No team has been sent anything.</p>
        {open.view.expiresOn && (
          <WarningText>
            <span data-testid="record-expiry">
              If you add nothing before {formatDay(open.view.expiresOn)}, this record will be deleted on that day. Adding an entry keeps it for longer.
            </span>
          </WarningText>
        )}
        <p class="govuk-body">
          <a class="govuk-button" href="/record/add" role="button" draggable={false} data-module="govuk-button">
            Add an entry
          </a>
        </p>
        {entries.length === 0 ? (
          <InsetText>Your record has no entries yet.</InsetText>
        ) : (
          <>
            <h2 class="govuk-heading-m">Entries</h2>
            <ol class="govuk-list app-record-entries">
              {entries.map((e, i) => (
                <li key={e.id} class="govuk-summary-card" data-testid="record-entry">
                  <div class="govuk-summary-card__title-wrapper">
                    <h3 class="govuk-summary-card__title">
                      Entry {i + 1}: received {formatDay(e.on)}
                    </h3>
                    {open.view.entries[i]?.receipt && (
                      <ul class="govuk-summary-card__actions">
                        <li class="govuk-summary-card__action">
                          <button type="button" class="app-link-button govuk-link" onClick={() => saveReceipt(open.view.entries[i]!.receipt!)}>
                            Download receipt<span class="govuk-visually-hidden"> for entry {i + 1}</span>
                          </button>
                        </li>
                      </ul>
                    )}
                  </div>
                  <div class="govuk-summary-card__content">
                    <SummaryList
                      rows={[
                        ...entryRows(e),
                        ...(e.entry?.attachments?.length ? [{
                          key: 'Files',
                          value: (
                            <EntryFiles
                              refs={e.entry.attachments} files={open.files} receipts={fileReceipts}
                              chunkUrl={(id, n) => `/api/v1/record/attachments/${id}/chunks/${n}`} headers={{ Authorization: open.session.authorization }}
                            />
                          ),
                        }] : []),
                        { key: 'Receipt', value: <span data-testid="entry-receipt">{RECEIPT_STATUS_WORDS[receipts[i] ?? 'checking']}</span> },
                      ]}
                    />
                  </div>
                </li>
              ))}
            </ol>
          </>
        )}
        <h2 class="govuk-heading-m">Send it to a team</h2>
        <p class="govuk-body">
          You can turn your record into a report at any time. The team will see every entry with the date it was received, and its files.
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href="/record/report">
            Turn my record into a report
          </a>
        </p>
        <h2 class="govuk-heading-m">Delete it</h2>
        <p class="govuk-body">
          <a class="govuk-link" href="/record/delete">
            Delete my record
          </a>
        </p>
        <h2 class="govuk-heading-m">Finish for now</h2>
        <p class="govuk-body">Your record is saved. You will need your record token to come back.</p>
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            closeRecord();
            navigate('/record/closed');
          }}
        >
          Close my record
        </Button>
      </div>
    </div>
  );
}

export function ClosedPage() {
  usePage('You have closed your record');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <h1 class="govuk-heading-l">You have closed your record</h1>
        <p class="govuk-body">This page no longer holds your record token. You can now close this browser window.</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/record/open">
            Open your record again
          </a>
        </p>
      </div>
    </div>
  );
}
