import { useEffect, useState } from 'preact/hooks';
import type { IntakeInfo } from '../../../shared/src/api/schemas.ts';
import { routeReport, routingDataOf } from '../../../shared/src/domain/routing.ts';
import { api } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Radios, type RadioGroup } from '../components/Radios.tsx';
import { Button, InsetText, Panel } from '../components/Simple.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { usePage } from '../page.ts';
import { prepareStamp } from '../pow/stamp.ts';
import { runSend } from '../reporter/send.ts';
import { RECORD_FAILURE, recordSendEffects } from './send.ts';
import { navigate } from '../router.ts';
import { useStore } from '../store.ts';
import { formatDay } from '../reporter/words.ts';
import { AboutYouQuestion } from '../reporter/AboutYou.tsx';
import { emptyAboutYou, identityOf, validateAboutYou, type AboutYou } from '../reporter/flow.ts';
import { closeRecord, reportedStore, type OpenRecord } from './session.ts';

const NO_UNIT = 'none';
const NOTE_MAX = 20_000;
type FieldError = { field: string; message: string };

/**
 * Turning the record into a report: the holder chooses what it is about (and so the team, by the
 * same routing rule as a report), writes a covering note, and the browser wraps the record key to
 * that team's certified keys and the recovery key. The entries themselves are not sent again.
 */
export function ReportPage({ open }: { open: OpenRecord }) {
  const [intake, setIntake] = useState<IntakeInfo | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [category, setCategory] = useState<string | undefined>();
  const [unit, setUnit] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [about, setAbout] = useState<AboutYou>(emptyAboutYou());
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  usePage('Turn your record into a report', { hasErrors: errors.length > 0 || loadFailed, back: '/record/entries' });
  useEffect(() => {
    prepareStamp();
    api.intake().then(setIntake, () => setLoadFailed(true));
  }, []);

  if (loadFailed) {
    return (
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>
          <p class="govuk-body">We could not load the list of teams. Check your internet connection and try again.</p>
          <p class="govuk-body"><a class="govuk-link" href="/record/entries">Go back to your record</a></p>
        </div>
      </div>
    );
  }
  if (!intake) return <p class="govuk-body" role="status">Loading…</p>;

  const unitId = unit && unit !== NO_UNIT ? unit : undefined;
  const routed = category ? routeReport({ category, unit: unitId }, routingDataOf(intake)) : undefined;
  const team = routed?.ok ? intake.teams.find((t) => t.id === routed.team) : undefined;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const found: FieldError[] = [];
    if (!category) found.push({ field: 'category', message: 'Select what your concern is about' });
    if (!unit) found.push({ field: 'unit', message: 'Select the unit or team, or that you would rather not say' });
    if (!note.trim()) found.push({ field: 'note', message: 'Enter a note for the team' });
    else if (note.length > NOTE_MAX) found.push({ field: 'note', message: `Your note must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer` });
    found.push(...validateAboutYou(about));
    setErrors(found);
    if (found.length > 0 || !category) return;
    setBusy(true);
    try {
      // Named: the identity is sealed as for a named report (sealRecordReport → sealSubmission).
      const identity = identityOf(about);
      const draft = {
        mode: identity ? 'named' as const : 'anonymous' as const, category, ...(unitId ? { unit: unitId } : {}), ...(identity ? { identity } : {}),
        report: {
          narrative: note.trim(),
          categoryLabel: intake.categories.find((x) => x.id === category)?.label,
          ...(unitId ? { unitLabel: intake.units.find((x) => x.id === unitId)?.label } : {}),
        },
      };
      const end = await runSend(draft, open.session.token, recordSendEffects(open), () => undefined, () => undefined);
      if (end.kind === 'sent') {
        reportedStore.set({ caseRef: end.caseRef, receivedOn: end.receivedOn });
        closeRecord();
        navigate('/record/sent');
      } else if (end.kind === 'failed') {
        const f = RECORD_FAILURE[end.reason];
        setErrors([{ field: f.field, message: f.text }]);
      }
    } finally {
      setBusy(false);
    }
  };

  const groups: RadioGroup[] = [];
  for (const u of intake.units) {
    let g = groups.find((x) => x.label === u.commandLabel);
    if (!g) groups.push((g = { label: u.commandLabel, items: [] }));
    g.items.push({ value: u.id, label: u.label });
  }
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        <h1 class="govuk-heading-l">Turn your record into a report</h1>
        <p class="govuk-body">
          The team will see all {open.opened.entries.length} entries in your record, each with the date we received it
          {open.view.attachments.length > 0 ? ` and its files (${open.view.attachments.length} in all)` : ''}, and the note
          you write here. You will not be able to add entries to the record after this, but you can send messages to the team.
        </p>
        <form noValidate onSubmit={onSubmit}>
          <Radios name="category" legend="What is your concern about?" legendSize="m" error={err('category')} value={category} onChange={setCategory}
            items={intake.categories.map((x) => ({ value: x.id, label: x.label, hint: x.hint || undefined }))} />
          <Radios name="unit" legend="Which unit or team is it about?" legendSize="m" error={err('unit')} value={unit} onChange={setUnit}
            groups={groups} orItem={{ value: NO_UNIT, label: 'I’d rather not say, or it’s not about a particular unit' }} small />
          <Textarea id="note" label="Your note to the team" labelSize="m" hint="Tell the team why you are sending your record, and anything your entries do not say."
            error={err('note')} value={note} onInput={setNote} maxLength={NOTE_MAX} />
          <AboutYouQuestion answers={about} onChange={setAbout} err={err} legendSize="m" />
          {team && <InsetText>Your report will go to {team.label}. Nobody else will be able to read your record.</InsetText>}
          <div role="status" class="govuk-body app-status">
            {busy ? 'Sending your report…' : ''}
          </div>
          <Button>Send report</Button>
        </form>
      </div>
    </div>
  );
}

export function SentPage() {
  const sent = useStore(reportedStore);
  usePage('Report sent');
  if (!sent) {
    return (
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <h1 class="govuk-heading-l">Report sent</h1>
          <p class="govuk-body"><a class="govuk-link" href="/case">Check your case</a></p>
        </div>
      </div>
    );
  }
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <Panel title="Report sent">
          Your case reference is
          <br />
          <strong data-testid="case-ref">{sent.caseRef}</strong>
        </Panel>
        <p class="govuk-body">We received your report on {formatDay(sent.receivedOn)}.</p>
        <h2 class="govuk-heading-m">Your token</h2>
        <p class="govuk-body">
          Your record token is now your case token. Use it to{' '}
          <a class="govuk-link" href="/case">check your case and read messages</a> from the team. It can still not be recovered if
          you lose it.
        </p>
        <p class="govuk-body">This page no longer holds your token. You can now close this browser window.</p>
      </div>
    </div>
  );
}
