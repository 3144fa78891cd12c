// The triage assessment, kept as an internal note carrying `assessment`, so the
// server never learns the IOPC test result or the severity.
import { useState } from 'preact/hooks';
import type { Assessment } from '../../../../shared/src/crypto/staff.ts';
import { Radios } from '../../components/Radios.tsx';
import { Button } from '../../components/Simple.tsx';
import { Textarea } from '../../components/Textarea.tsx';
import type { FieldError } from '../../reporter/flow.ts';
import { staffApi } from '../../staff/api.ts';
import { IOPC_GROUNDS, SEVERITY_LABELS } from '../words.ts';
import { ActionForm, useAction, type ActionProps } from './common.tsx';

function Box({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="govuk-checkboxes__item">
      <input class="govuk-checkboxes__input" id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      <label class="govuk-label govuk-checkboxes__label" for={id}>
        {label}
      </label>
    </div>
  );
}

export function AssessmentForm({ opened, onDone, onErrors }: ActionProps) {
  const [grounds, setGrounds] = useState<string[]>([]);
  const [severity, setSeverity] = useState<string | undefined>(undefined);
  const [welfare, setWelfare] = useState(false);
  const [victimisation, setVictimisation] = useState(false);
  const [text, setText] = useState('');
  const a = useAction('severity', onErrors);
  const key = opened.internalKey;
  if (!key) return null;

  const validate = () => {
    const e: FieldError[] = [];
    if (!severity) e.push({ field: 'severity', message: 'Select how serious the conduct would be if proven' });
    return e;
  };
  const submit = () =>
    a.run(validate, 'Saving the assessment…', async (c) => {
      const assessment: Assessment = {
        iopcMandatoryReferral: grounds.length > 0,
        iopcGrounds: grounds,
        severity: severity as Assessment['severity'],
        welfareConcern: welfare,
        victimisationRisk: victimisation,
      };
      await staffApi.note(opened.detail.caseRef, c.staff.sealNote(key, opened.reporterPk, { text: text.trim() || 'Assessment recorded.', assessment }));
      setGrounds([]);
      setSeverity(undefined);
      setText('');
      await onDone('The assessment has been saved as an internal note.');
    });
  const toggle = (g: string) => (on: boolean) => setGrounds(on ? [...grounds, g] : grounds.filter((x) => x !== g));

  return (
    <ActionForm id="assessment-form" title="Record the assessment" busy={a.busy} onSubmit={submit}>
      <p class="govuk-body-s">Saved as an internal note — never shown to the reporter.</p>
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset" aria-describedby="iopc-hint">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">IOPC mandatory referral test: does the conduct, if proven, involve any of these?</legend>
          <div id="iopc-hint" class="govuk-hint">
            Select all that apply. Leave all unticked if none apply.
          </div>
          <div class="govuk-checkboxes govuk-checkboxes--small">
            {Object.entries(IOPC_GROUNDS).map(([g, label], i) => (
              <Box key={g} id={i === 0 ? 'iopc' : `iopc-${g}`} label={label} checked={grounds.includes(g)} onChange={toggle(g)} />
            ))}
          </div>
        </fieldset>
      </div>
      <Radios
        name="severity"
        legend="How serious would the conduct be, if proven?"
        legendSize="s"
        value={severity}
        onChange={setSeverity}
        error={a.errorFor('severity')}
        small
        items={Object.entries(SEVERITY_LABELS).map(([value, label]) => ({ value, label }))}
      />
      <div class="govuk-form-group">
        <fieldset class="govuk-fieldset">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Risks to the reporter</legend>
          <div class="govuk-checkboxes govuk-checkboxes--small">
            <Box id="welfare" label="There is a welfare concern" checked={welfare} onChange={setWelfare} />
            <Box id="victimisation" label="There is a risk of victimisation" checked={victimisation} onChange={setVictimisation} />
          </div>
        </fieldset>
      </div>
      <Textarea id="assessment-text" label="Reasons (optional)" labelSize="s" value={text} onInput={setText} rows={3} />
      <Button variant="secondary">Save assessment</Button>
    </ActionForm>
  );
}
