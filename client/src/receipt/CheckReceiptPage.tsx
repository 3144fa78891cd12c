// "Check a receipt": anyone can check a receipt in their own browser. The receipt is
// never sent to the server (it would tie this device's address to a case reference);
// only the service's published receipt keys are fetched, once per visit. They are
// fetched rather than pinned in the build because the receipt key is derived from the
// deployment's server secret and changes when that is rotated; the page shows the key
// id so it can be compared with the one the force publishes (docs/OPERATIONS.md).
import { useEffect, useState } from 'preact/hooks';
import type { ReceiptKeys } from '../../../shared/src/api/receipts.ts';
import type { Receipt } from '../../../shared/src/crypto/receipt-format.ts';
import { fetchJson } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { describedBy, ErrorMessage } from '../components/ErrorSummary.tsx';
import { Hint } from '../components/Field.tsx';
import { Button, SummaryList } from '../components/Simple.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { loadCrypto, preloadCrypto } from '../crypto.ts';
import { usePage } from '../page.ts';
import { formatDay } from '../reporter/words.ts';

let keysOnce: Promise<ReceiptKeys> | undefined;
/** The published keys, fetched once per visit (a failure is retried on the next check). */
function publishedKeys(): Promise<ReceiptKeys> {
  keysOnce ??= fetchJson<ReceiptKeys>('/api/v1/receipts/keys');
  keysOnce.catch(() => { keysOnce = undefined; });
  return keysOnce;
}

const MAX_FILE = 16 * 1024;

type Result = { ok: true; receipt: Receipt; keyId: string } | { ok: false; field: 'receipt' | 'receipt-file'; message: string };

const KIND_WORDS: Record<Receipt['kind'], string> = { report: 'A report', message: 'A message', attachment: 'An attachment', entry: 'An entry in a private record' };

export function CheckReceiptPage() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const failed = result !== null && !result.ok ? result : null;
  usePage('Check a receipt', { hasErrors: failed !== null, back: '/' });
  useEffect(() => preloadCrypto(), []);

  const fail = (field: 'receipt' | 'receipt-file', message: string) => {
    setResult({ ok: false, field, message });
    setAttempt((n) => n + 1);
  };

  const onFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > MAX_FILE) return fail('receipt-file', 'The file you chose is too big to be a receipt. Choose the receipt file you saved');
    try {
      setText(await file.text());
      setResult(null);
    } catch {
      fail('receipt-file', 'The file you chose could not be read. Choose the receipt file again, or paste the receipt');
    }
  };

  const check = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!text.trim()) return fail('receipt', 'Paste your receipt, or choose the receipt file you saved');
    setBusy(true);
    try {
      let keys: ReceiptKeys;
      try {
        keys = await publishedKeys();
      } catch {
        return fail('receipt', 'We could not get the service’s receipt key. Check your internet connection and try again');
      }
      const c = await loadCrypto();
      const checked = c.verifyReceipt(text.trim(), [keys.current, ...keys.previous]);
      if (!checked.ok) return fail('receipt', `This receipt is not valid. ${checked.message}`);
      setResult({ ok: true, receipt: checked.receipt, keyId: checked.key.keyId });
      requestAnimationFrame(() => document.getElementById('receipt-result')?.focus());
    } catch {
      fail('receipt', 'Your browser could not check the receipt. Try again, or use a different browser');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={failed ? [{ field: failed.field, message: failed.message }] : []} attempt={attempt} />
        <h1 class="govuk-heading-l">Check a receipt</h1>
        <p class="govuk-body">
          When you send a report or a message, you get a receipt. It shows that the service received it, locked, on a given day and under
          a case reference. It does not show what you wrote.
        </p>
        <p class="govuk-body">The check happens in your browser. Your receipt is not sent anywhere.</p>

        {result?.ok && (
          <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="receipt-result" data-testid="receipt-valid">
            <div class="govuk-notification-banner__header">
              <h2 class="govuk-notification-banner__title" id="receipt-result-title">
                Success
              </h2>
            </div>
            <div class="govuk-notification-banner__content">
              <p class="govuk-notification-banner__heading" id="receipt-result" tabIndex={-1}>
                This receipt is genuine
              </p>
              <p class="govuk-body">
                {KIND_WORDS[result.receipt.kind]} was received, locked, on {formatDay(result.receipt.receivedOn)} under case reference{' '}
                {result.receipt.caseRef}. The receipt does not show what it said: only the team can check it against what the case holds.
              </p>
            </div>
          </div>
        )}
        {result?.ok && (
          <SummaryList
            rows={[
              { key: 'Case reference', value: <span data-testid="receipt-ref">{result.receipt.caseRef}</span> },
              { key: 'What was received', value: KIND_WORDS[result.receipt.kind] },
              { key: 'Received on', value: formatDay(result.receipt.receivedOn) },
              { key: 'Signed with key', value: <span class="app-pre-wrap">{result.keyId}</span> },
            ]}
          />
        )}

        <form noValidate onSubmit={check}>
          <Textarea
            id="receipt"
            label="Paste your receipt"
            labelSize="m"
            hint="The receipt is the text you copied or downloaded. It begins with { and includes “rc2-receipt”."
            error={failed?.field === 'receipt' ? failed.message : undefined}
            value={text}
            onInput={(v) => {
              setText(v);
              if (result?.ok) setResult(null);
            }}
            rows={8}
          />
          <div class={`govuk-form-group${failed?.field === 'receipt-file' ? ' govuk-form-group--error' : ''}`}>
            <label class="govuk-label govuk-label--s" for="receipt-file">
              Or choose the receipt file
            </label>
            <Hint id="receipt-file-hint">The file is called receipt-, then your case reference, and ends in .json.</Hint>
            <ErrorMessage id="receipt-file" message={failed?.field === 'receipt-file' ? failed.message : undefined} />
            <input
              class={`govuk-file-upload${failed?.field === 'receipt-file' ? ' govuk-file-upload--error' : ''}`}
              id="receipt-file"
              name="receipt-file"
              type="file"
              accept=".json,.txt,application/json,text/plain"
              aria-describedby={describedBy('receipt-file-hint', failed?.field === 'receipt-file' && 'receipt-file-error')}
              onChange={onFile}
            />
          </div>
          <Button>Check receipt</Button>
        </form>

        <h2 class="govuk-heading-m">Which key signed it</h2>
        <p class="govuk-body">
          Each receipt names the key that signed it. The force publishes its receipt keys on its intranet, so you can compare the key shown
          here after a check with the one published there.
        </p>
      </div>
    </div>
  );
}
