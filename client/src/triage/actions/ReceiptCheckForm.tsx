// Does a receipt someone shows us match what this case holds? The server hashes the
// case's stored sealed bytes and compares (receipts/service.ts); every check is audited.
import { useState } from 'preact/hooks';
import type { ReceiptCheckResult } from '../../../../shared/src/api/receipts.ts';
import { ErrorMessage, describedBy } from '../../components/ErrorSummary.tsx';
import { Hint } from '../../components/Field.tsx';
import { Button } from '../../components/Simple.tsx';
import { Textarea } from '../../components/Textarea.tsx';
import { ApiError, staffApi } from '../../staff/api.ts';
import { formatDay } from '../../reporter/words.ts';
import { ActionForm, PlainError, useAction, type ActionProps } from './common.tsx';

function recordWords(r: NonNullable<ReceiptCheckResult['record']>): string {
  if (r.kind === 'report') return 'the report';
  if (r.kind === 'message') return r.from === 'triage' ? 'a message from the team' : 'a message from the reporter';
  if (r.kind === 'entry') return 'an entry of the reporter’s record';
  return 'an attachment';
}

/** The result in plain words: what matched, or why not. */
export function resultWords(r: ReceiptCheckResult): string {
  switch (r.result) {
    case 'match':
      return `Match. The receipt is genuine and matches ${r.record ? `${recordWords(r.record)} received on ${formatDay(r.record.on)}` : 'what this case holds'}.`;
    case 'not_genuine':
      return 'No match. The receipt is not genuine: its signature does not check, or no key this service publishes signed it. It may have been changed.';
    case 'other_case':
      return 'No match. The receipt is genuine, but it is for another case.';
    case 'no_record':
      return 'No match. The receipt is genuine and for this case, but nothing this case holds has exactly those sealed bytes. It may have been changed, or removed when the case was purged.';
    case 'date_differs':
      return `No match. This case holds ${r.record ? recordWords(r.record) : 'the record'}, but it was received on ${r.record ? formatDay(r.record.on) : 'another day'}, not on the day the receipt gives.`;
  }
}

export function ReceiptCheckForm({ opened, onErrors }: ActionProps) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<ReceiptCheckResult | null>(null);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const a = useAction('receipt-check', onErrors);

  const onFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    setResult(null);
    const problem = file.size > 4096 ? 'The file is too big to be a receipt. Choose the receipt file' : undefined;
    setFileError(problem);
    if (problem) return onErrors([{ field: 'receipt-check-file', message: problem }]);
    setText(await file.text().catch(() => ''));
  };

  const submit = () =>
    a.run(
      () => (text.trim() ? [] : [{ field: 'receipt-check', message: 'Paste the receipt, or choose its file' }]),
      'Checking the receipt…',
      async () => {
        setResult(null);
        try {
          setResult(await staffApi.checkReceipt(opened.detail.caseRef, text.trim()));
        } catch (err) {
          if (err instanceof ApiError && (err.code === 'invalid_receipt' || err.code === 'invalid_request')) {
            throw new PlainError('This is not a receipt. Paste the whole receipt text, from { to }');
          }
          throw err;
        }
      },
    );

  return (
    <ActionForm id="receipt-check-form" title="Check a receipt against this case" busy={a.busy} onSubmit={submit}>
      <Textarea
        id="receipt-check"
        label="Receipt"
        labelSize="s"
        hint="Paste a receipt the reporter or a colleague gave you. We compare it with the sealed report and messages this case holds. Each check is recorded in the audit log."
        value={text}
        onInput={(v) => {
          setText(v);
          setResult(null);
        }}
        error={a.errorFor('receipt-check')}
        rows={6}
      />
      <div class={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
        <label class="govuk-label govuk-label--s" for="receipt-check-file">
          Or choose the receipt file
        </label>
        <Hint id="receipt-check-file-hint">A receipt file ends in .json.</Hint>
        <ErrorMessage id="receipt-check-file" message={fileError} />
        <input
          class={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`}
          id="receipt-check-file"
          name="receipt-check-file"
          type="file"
          accept=".json,.txt,application/json,text/plain"
          aria-describedby={describedBy('receipt-check-file-hint', fileError && 'receipt-check-file-error')}
          onChange={onFile}
        />
      </div>
      <div role="status" class="govuk-body" data-testid="receipt-check-result">
        {result && (
          <div class="govuk-inset-text">
            <strong class={`govuk-tag govuk-tag--${result.match ? 'green' : 'red'}`}>{result.match ? 'Match' : 'No match'}</strong>
            <p class="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">{resultWords(result)}</p>
          </div>
        )}
      </div>
      <Button variant="secondary">Check receipt</Button>
    </ActionForm>
  );
}
