// Move the case on. Closing needs an outcome and an explanation to the reporter,
// sealed here under caseKey and sent with the status change.
import { useState } from 'preact/hooks';
import { OUTCOMES, type CaseStatus, type OutcomeCode } from '../../../../shared/src/api/domain.ts';
import { Radios } from '../../components/Radios.tsx';
import { Button } from '../../components/Simple.tsx';
import { Textarea } from '../../components/Textarea.tsx';
import type { FieldError } from '../../reporter/flow.ts';
import { statusWords } from '../../reporter/words.ts';
import { staffApi } from '../../staff/api.ts';
import { nextStatuses, OUTCOME_LABELS, STATUS_ACTION } from '../words.ts';
import { ActionForm, sealedTextErrors, useAction, type ActionProps } from './common.tsx';

export function StatusForm({ opened, onDone, onErrors }: ActionProps) {
  const d = opened.detail;
  const options = nextStatuses(d.status as CaseStatus);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<string | undefined>(undefined);
  const [explanation, setExplanation] = useState('');
  const a = useAction('status', onErrors);
  // A referral waiting for the other team: the server refuses status changes until it is answered (ReferForm says so).
  if (options.length === 0 || d.referral) return null;

  const validate = () => {
    const e: FieldError[] = [];
    if (!status) e.push({ field: 'status', message: 'Select the new status' });
    if (status === 'closed') {
      if (!outcome) e.push({ field: 'outcome', message: 'Select the outcome' });
      e.push(...sealedTextErrors('explanation', explanation, 'Explain the outcome to the reporter', 'explanation'));
    }
    return e;
  };

  const submit = () =>
    a.run(validate, 'Saving the status…', async (c) => {
      const next = status as CaseStatus;
      if (next === 'closed') {
        const message = c.rc1.sealMessage(opened.caseKey, opened.reporterPk, 'triage', explanation.trim());
        await staffApi.status(d.caseRef, { status: next, outcome: outcome as OutcomeCode, message });
      } else {
        await staffApi.status(d.caseRef, { status: next });
      }
      setStatus(undefined);
      setExplanation('');
      await onDone(`The case is now ${statusWords(next).toLowerCase()}.`);
    });

  return (
    <ActionForm id="status-form" title="Change the status" busy={a.busy} onSubmit={submit}>
      <Radios
        name="status"
        legend={`The case is ${statusWords(d.status).toLowerCase()}. What is its new status?`}
        legendSize="s"
        value={status}
        onChange={setStatus}
        error={a.errorFor('status')}
        small
        items={options.map((s) => ({
          value: s,
          label: STATUS_ACTION[s],
          ...(s === 'closed'
            ? {
                conditional: (
                  <>
                    <Radios
                      name="outcome"
                      legend="Outcome"
                      legendSize="s"
                      value={outcome}
                      onChange={setOutcome}
                      error={a.errorFor('outcome')}
                      small
                      items={OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
                    />
                    <Textarea
                      id="explanation"
                      label="Explanation to the reporter"
                      labelSize="s"
                      hint="The reporter sees this with the outcome. Use plain words and do not name anyone."
                      value={explanation}
                      onInput={setExplanation}
                      error={a.errorFor('explanation')}
                    />
                  </>
                ),
              }
            : {}),
        }))}
      />
      <Button>Save status</Button>
    </ActionForm>
  );
}
