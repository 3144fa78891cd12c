// One retention rule's page: keep until a period is set, or a number of months. Before a period is
// saved the server is asked how many items it would already find past it; if any, the administrator
// is told how many will be deleted within the hour and must confirm (GOV.UK warning button), because
// that cannot be undone. A period that deletes nothing now is saved at once.
import { useEffect, useState } from 'preact/hooks';
import { isRetentionItem, type SetRetention } from '../../../../shared/src/api/retention.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { Radios } from '../../components/Radios.tsx';
import { Button, ButtonGroup, WarningText } from '../../components/Simple.tsx';
import { focusHeading, usePage } from '../../page.ts';
import type { FieldError } from '../../reporter/flow.ts';
import { navigate, navigationCount } from '../../router.ts';
import { staffApi } from '../api.ts';
import { Status, TextField } from '../Fields.tsx';
import {
  countWords, periodWords, retentionPath, ruleHint, ruleName, ruleQuestion, validateRule, whatGoes, type RetentionKey, type RuleValues,
} from './retention.ts';
import { setFlash } from './shared.ts';

const bodyFor = (key: RetentionKey, months: number | null): SetRetention => (isRetentionItem(key) ? { item: key, months } : { outcome: key, months });

export function RetentionRulePage({ ruleKey: key }: { ruleKey: RetentionKey }) {
  const [values, setValues] = useState<RuleValues | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState('');
  /** Set once the server has said how many items a period would delete now: the confirmation step. Never 1: the server tells 1 to 4 as '<5'. */
  const [confirming, setConfirming] = useState<{ months: number; due: number | '<5' } | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const name = ruleName(key);
  const confirmTitle = confirming && `Delete ${countWords(key, confirming.due)} now?`;
  usePage(confirmTitle || ruleQuestion(key), { hasErrors: errors.length > 0 || loadFailed, back: confirming ? null : retentionPath() });

  useEffect(() => {
    staffApi.retention().then((list) => {
      const months = [...list.rules.map((r) => ({ key: r.outcome as string, months: r.months })), ...list.items.map((i) => ({ key: i.item as string, months: i.months }))]
        .find((r) => r.key === key)?.months ?? null;
      setValues({ choice: months === null ? 'keep' : 'months', months: months === null ? '' : String(months) });
      // The heading (the question, as the radios' legend) exists only now: usePage found none to focus on arrival.
      if (navigationCount() > 0) requestAnimationFrame(focusHeading);
    }, () => setLoadFailed(true));
  }, [key]);

  const fail = (message: string, field = 'period') => {
    setErrors([{ field, message }]);
    setAttempt((n) => n + 1);
  };

  const save = async (months: number | null) => {
    setBusy('Saving…');
    try {
      await staffApi.setRetention(bodyFor(key, months));
      setFlash(months === null ? `${name}: kept until a period is set` : `${name}: deleted after ${periodWords(months)}`);
      navigate(retentionPath());
    } catch {
      setConfirming(null);
      fail('The period could not be saved. Try again');
    } finally {
      setBusy('');
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!values || busy) return;
    const found = validateRule(values);
    setErrors(found);
    setAttempt((n) => n + 1);
    if (found.length > 0) return;
    if (values.choice === 'keep') return save(null);
    const months = Number(values.months.trim());
    setBusy('Checking what this period would delete…');
    let due: number | '<5';
    try {
      due = (await staffApi.retentionPreview(key, months)).due;
    } catch {
      setBusy('');
      return fail('What this period would delete could not be checked. Try again');
    }
    setBusy('');
    if (due === 0) return save(months);
    setConfirming({ months, due });
    requestAnimationFrame(focusHeading);
  };

  if (confirming) {
    const items = countWords(key, confirming.due);
    return (
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <h1 class="govuk-heading-l">{confirmTitle}</h1>
          <WarningText>
            {items[0]!.toUpperCase() + items.slice(1)} ({name}) were last active more than {periodWords(confirming.months)} ago.{' '}
            They will be deleted within the hour if you save this period. This cannot be undone.
          </WarningText>
          <p class="govuk-body">{whatGoes(key)}</p>
          <Status text={busy} />
          <ButtonGroup>
            <Button type="button" variant="warning" id="confirm" disabled={!!busy} onClick={() => void save(confirming.months)}>
              Yes, delete after {periodWords(confirming.months)}
            </Button>
            <a class="govuk-link" href={retentionPath(key)} onClick={(e) => { e.preventDefault(); setConfirming(null); requestAnimationFrame(focusHeading); }}>
              Change the period
            </a>
          </ButtonGroup>
        </div>
      </div>
    );
  }

  const err = (f: string) => errors.find((x) => x.field === f)?.message;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        {loadFailed && (
          <>
            <h1 class="govuk-heading-l">{ruleQuestion(key)}</h1>
            <p class="govuk-body govuk-error-message">The period could not be loaded. Reload the page to try again.</p>
          </>
        )}
        {!values && !loadFailed && <Status text="Loading the period…" />}
        {values && (
          <form noValidate onSubmit={(e) => void submit(e)}>
            <Radios
              name="period"
              legend={ruleQuestion(key)}
              isPageHeading
              hint={`${ruleHint(key)} ${whatGoes(key)}`}
              error={err('period')}
              value={values.choice}
              onChange={(v) => setValues({ ...values, choice: v as RuleValues['choice'] })}
              items={[
                { value: 'keep', label: 'Keep until a period is set' },
                {
                  value: 'months',
                  label: 'Delete after a number of months',
                  conditional: (
                    <TextField id="months" label="Number of months" hint="For example, 12 for a year or 84 for 7 years" inputMode="numeric"
                      classes="govuk-input--width-4" value={values.months} error={err('months')} onInput={(v) => setValues({ ...values, months: v })} />
                  ),
                },
              ]}
            />
            <Status text={busy} />
            <ButtonGroup>
              <Button disabled={!!busy}>Save</Button>
              <a class="govuk-link" href={retentionPath()}>
                Cancel
              </a>
            </ButtonGroup>
          </form>
        )}
      </div>
    </div>
  );
}
