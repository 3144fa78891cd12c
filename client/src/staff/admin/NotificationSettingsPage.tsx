// The organisation's notification settings: when mail may go out (a sending
// window in London hours), how long a batch is (reporter-caused events go out
// only at batch slots), and kinds switched off for everyone. Shows how many
// mails are waiting, so an SMTP outage is seen here.
import { useEffect, useState } from 'preact/hooks';
import type { OrgSettingsInfo } from '../../../../shared/src/api/notifications.ts';
import { BATCH_CHOICES, KIND_NAMES, KINDS, type NotificationKind } from '../../../../shared/src/domain/notifications.ts';
import { Checkbox } from '../../components/Checkboxes.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { Button } from '../../components/Simple.tsx';
import { usePage } from '../../page.ts';
import type { FieldError } from '../../reporter/flow.ts';
import { request } from '../api.ts';
import { Banner, Select, Status } from '../Fields.tsx';

const hour = (h: number): string => (h === 24 ? 'Midnight (end of the day)' : `${String(h).padStart(2, '0')}:00`);
const batchWords = (m: number): string => (m < 60 ? `Every ${m} minutes` : m === 60 ? 'Every hour' : m === 1440 ? 'Once a day' : `Every ${m / 60} hours`);

interface Values { windowStart: string; windowEnd: string; batchMinutes: string; offForAll: NotificationKind[] }

const valuesOf = (s: OrgSettingsInfo): Values => ({
  windowStart: String(s.windowStart), windowEnd: String(s.windowEnd), batchMinutes: String(s.batchMinutes), offForAll: [...s.offForAll],
});

/** The checks the server makes, worded for the form. */
export function validateSettings(v: Values): FieldError[] {
  const errors: FieldError[] = [];
  const start = Number(v.windowStart);
  const end = Number(v.windowEnd);
  // The server reads a window that starts and ends at the same hour as all day; the form offers 00:00 to midnight for that.
  if (start === end) errors.push({ field: 'window-end', message: 'The end of the sending window must be different from its start. For all day, choose 00:00 until midnight' });
  return errors;
}

export function NotificationSettingsPage() {
  const [info, setInfo] = useState<OrgSettingsInfo | null>(null);
  const [values, setValues] = useState<Values | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<'loading' | 'ready' | 'saving' | 'saved' | 'failed'>('loading');
  const [saved, setSaved] = useState(0);
  usePage('Email notification settings', { hasErrors: errors.length > 0, back: '/triage/admin' });

  useEffect(() => {
    request<OrgSettingsInfo>('/admin/notifications').then((s) => { setInfo(s); setValues(valuesOf(s)); setState('ready'); }, () => setState('failed'));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!values || state === 'saving') return;
    setAttempt((n) => n + 1);
    const found = validateSettings(values);
    setErrors(found);
    if (found.length) return;
    setState('saving');
    try {
      const body = { windowStart: Number(values.windowStart), windowEnd: Number(values.windowEnd), batchMinutes: Number(values.batchMinutes), offForAll: values.offForAll };
      const s = await request<OrgSettingsInfo>('/admin/notifications', { json: body });
      setInfo(s);
      setValues(valuesOf(s));
      setState('saved');
      setSaved((n) => n + 1);
    } catch {
      setErrors([{ field: 'window-start', message: 'The settings could not be saved. Check them and try again' }]);
      setState('ready');
    }
  };

  const err = (f: string) => errors.find((x) => x.field === f)?.message;
  const set = (p: Partial<Values>) => values && setValues({ ...values, ...p });
  const toggle = (k: NotificationKind, off: boolean) =>
    values && set({ offForAll: off ? [...values.offForAll, k] : values.offForAll.filter((x) => x !== k) });

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        {state === 'saved' && (
          <Banner title="Success" success focusKey={saved}>
            <p class="govuk-notification-banner__heading">The notification settings are saved</p>
          </Banner>
        )}
        <ErrorSummary errors={errors} attempt={attempt} />
        <h1 class="govuk-heading-l">Email notification settings</h1>
        <p class="govuk-body">
          These settings apply to everyone. Each person chooses how they hear of each kind of event on their own
          Email notifications page. Emails never include anything of a case.
        </p>
        {state === 'failed' && <p class="govuk-body govuk-error-message">The settings could not be loaded. Try again later.</p>}
        {state === 'loading' && <Status text="Loading the settings…" />}
        {info && values && (
          <>
            <div class="govuk-inset-text" id="backlog">
              {info.backlog === 0 ? 'No emails are waiting to be sent.' : `${info.backlog} ${info.backlog === 1 ? 'email is' : 'emails are'} due and waiting to be sent. If this stays high, check the mail server.`}
            </div>
            <form noValidate onSubmit={submit}>
              <fieldset class="govuk-fieldset">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">When emails may be sent (UK time)</legend>
                <div class="govuk-hint">Emails due outside these hours wait until the next start. 00:00 to midnight means all day.</div>
                <Select id="window-start" label="From" value={values.windowStart} error={err('window-start')}
                  options={Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: hour(h) }))} onChange={(v) => set({ windowStart: v })} />
                <Select id="window-end" label="Until" value={values.windowEnd} error={err('window-end')}
                  options={Array.from({ length: 24 }, (_, i) => ({ value: String(i + 1), label: hour(i + 1) }))} onChange={(v) => set({ windowEnd: v })} />
              </fieldset>
              <Select id="batch-minutes" label="How often batched emails go out" value={values.batchMinutes}
                hint="New reports and reporters’ messages are only ever emailed in batches, so an email cannot show when someone made a report."
                options={BATCH_CHOICES.map((m) => ({ value: String(m), label: batchWords(m) }))} onChange={(v) => set({ batchMinutes: v })} />
              <fieldset class="govuk-fieldset govuk-!-margin-bottom-6">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Switch off for everyone</legend>
                <div class="govuk-hint">Nobody is emailed about these, whatever they have chosen.</div>
                {KIND_NAMES.map((k) => (
                  <Checkbox key={k} id={`off-${k}`} label={KINDS[k].label} checked={values.offForAll.includes(k)} onChange={(c) => toggle(k, c)} />
                ))}
              </fieldset>
              <Status text={state === 'saving' ? 'Saving the settings…' : ''} />
              <Button disabled={state === 'saving'}>Save settings</Button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
