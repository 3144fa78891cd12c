import { useEffect, useState } from 'preact/hooks';
import { isStampError, recordApi } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Input } from '../components/Input.tsx';
import { Button } from '../components/Simple.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { loadCrypto } from '../crypto.ts';
import { usePage } from '../page.ts';
import { prepareStamp, withStamp } from '../pow/stamp.ts';
import { navigate } from '../router.ts';
import { refreshRecord } from './open.ts';
import type { OpenRecord } from './session.ts';

/** Characters an entry's text may hold: the sealed entry must fit its largest bucket (64 KiB). */
export const ENTRY_TEXT_MAX = 20_000;
const FIELD_MAX = 500;

type Fields = { what: string; when: string; where: string; present: string; name: string; collar: string; role: string };
const EMPTY: Fields = { what: '', when: '', where: '', present: '', name: '', collar: '', role: '' };
type FieldError = { field: string; message: string };

export function validateEntry(f: Fields): FieldError[] {
  const errors: FieldError[] = [];
  if (!f.what.trim()) errors.push({ field: 'what', message: 'Enter what happened' });
  else if (f.what.length > ENTRY_TEXT_MAX) errors.push({ field: 'what', message: `What happened must be ${ENTRY_TEXT_MAX.toLocaleString('en-GB')} characters or fewer` });
  for (const [k, label] of [['when', 'When'], ['where', 'Where'], ['present', 'Who was there'], ['name', 'Their name'], ['collar', 'Their collar number'], ['role', 'Their role']] as const) {
    if (f[k].length > FIELD_MAX) errors.push({ field: k, message: `${label} must be ${FIELD_MAX} characters or fewer` });
  }
  return errors;
}

const optional = (v: string) => (v.trim() ? v.trim() : undefined);

export function AddEntryPage({ open }: { open: OpenRecord }) {
  const [f, setF] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  usePage('Add an entry to your record', { hasErrors: errors.length > 0, back: '/record/entries' });
  useEffect(() => prepareStamp(), []);
  const set = (k: keyof Fields) => (v: string) => setF((old) => ({ ...old, [k]: v }));
  const err = (k: string) => errors.find((e) => e.field === k)?.message;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const found = validateEntry(f);
    setErrors(found);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const c = await loadCrypto();
      const entry = { what: f.what.trim(), when: optional(f.when), where: optional(f.where), present: optional(f.present) };
      const subject = { name: optional(f.name), collar: optional(f.collar), role: optional(f.role) };
      const drop = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
      const body = c.sealRecordEntry(open.opened.recordKey, open.opened.recordId, drop(entry) as { what: string }, drop(subject));
      // The same sealed body (and id) on a retry: a lost answer then meets entry_exists, which means it was kept.
      await withStamp((stamp) => recordApi.addEntry(open.session.authorization, body, stamp), isStampError).catch((err: unknown) => {
        if ((err as { code?: string }).code !== 'entry_exists') throw err;
      });
      await refreshRecord();
      navigate('/record/entries');
    } catch {
      setErrors([{ field: 'what', message: 'Your entry could not be saved. Check your internet connection and try again' }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        <h1 class="govuk-heading-l">Add an entry to your record</h1>
        <p class="govuk-body">Only you can read this. It will show the date we receive it.</p>
        <form noValidate onSubmit={onSubmit}>
          <Textarea id="what" label="What happened?" labelSize="m" error={err('what')} value={f.what} onInput={set('what')} rows={8} maxLength={ENTRY_TEXT_MAX}
            hint="Write it in your own words. Include what was said or done." />
          <Input id="when" label="When did it happen? (optional)" hint="For example, 3 March around midday, or last Tuesday" error={err('when')} value={f.when} onInput={set('when')} />
          <Input id="where" label="Where did it happen? (optional)" error={err('where')} value={f.where} onInput={set('where')} />
          <Input id="present" label="Who was there? (optional)" hint="Anyone who saw or heard it" error={err('present')} value={f.present} onInput={set('present')} />
          <fieldset class="govuk-fieldset" aria-describedby="subject-hint">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Who did it? (optional)</legend>
            <div id="subject-hint" class="govuk-hint">Kept apart from the rest of your entry. Fill in what you know.</div>
            <Input id="name" label="Their name" error={err('name')} value={f.name} onInput={set('name')} autocomplete="off" />
            <Input id="collar" label="Their collar or staff number" error={err('collar')} value={f.collar} onInput={set('collar')} autocomplete="off" classes="govuk-input--width-10" />
            <Input id="role" label="Their role or rank" error={err('role')} value={f.role} onInput={set('role')} autocomplete="off" />
          </fieldset>
          <div role="status" class="govuk-body app-status">
            {busy ? 'Saving your entry…' : ''}
          </div>
          <Button>Save entry</Button>
        </form>
      </div>
    </div>
  );
}
