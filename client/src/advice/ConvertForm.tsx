// Turning an advice request into a report: the report questions (what it is about, the unit,
// what happened, and whether to give a name), sealed under the case key the reporter already
// holds, so the thread stays. A name is sealed as for a named report (reporter/AboutYou.tsx).
import { useEffect, useState } from 'preact/hooks';
import { LIMITS } from '../../../shared/src/api/domain.ts';
import type { IntakeInfo } from '../../../shared/src/api/schemas.ts';
import { api, ApiError, isStampError } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Input } from '../components/Input.tsx';
import { Radios } from '../components/Radios.tsx';
import { Button, ButtonGroup } from '../components/Simple.tsx';
import { SendStatus } from '../components/SendStatus.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { loadCrypto } from '../crypto.ts';
import { focusHeading, usePage } from '../page.ts';
import { prepareStamp, withStamp } from '../pow/stamp.ts';
import { caseStore, type OpenCase } from '../case/session.ts';
import { useIntake } from '../reporter/state.ts';
import { AboutYouQuestion } from '../reporter/AboutYou.tsx';
import { emptyAboutYou, identityOf, validateAboutYou, type AboutYou } from '../reporter/flow.ts';
import { MAX_RESEALS } from '../reporter/send.ts';
import { ORG_PUBLIC_KEY } from '../org-key.ts';
import { convertedStore, convertingStore } from './convert.ts';

const NO_UNIT = 'none';
type Field = 'category' | 'unit' | 'narrative' | 'mode' | 'name' | 'role' | 'contact';

function sendWords(e: unknown): string {
  if (e instanceof ApiError && e.code === 'already_report') return 'This is already a report. Go back to your case to see it';
  if (e instanceof ApiError && e.status === 0) return 'Your report could not be sent. Check your internet connection and try again';
  if (!(e instanceof ApiError)) return 'Your browser could not lock your report securely, so nothing was sent. Try again';
  return 'Your report could not be sent. Try again in a few minutes';
}

function Form({ open, intake }: { open: OpenCase; intake: IntakeInfo }) {
  const [category, setCategory] = useState<string | undefined>(undefined);
  const [unit, setUnit] = useState<string | undefined>(undefined);
  const [narrative, setNarrative] = useState('');
  const [when, setWhen] = useState('');
  const [where, setWhere] = useState('');
  const [about, setAbout] = useState<AboutYou>(emptyAboutYou());
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [sendError, setSendError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  usePage('Turn your question into a report', { hasErrors: Object.keys(errors).length > 0 || sendError !== null });
  useEffect(() => prepareStamp(), []);
  const max = LIMITS.narrativeMax;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const next: Partial<Record<Field, string>> = {};
    if (!category) next.category = 'Select what your report is about';
    if (!unit) next.unit = 'Select the unit, or that you would rather not say';
    if (!narrative.trim()) next.narrative = 'Enter what happened';
    else if (narrative.length > max) next.narrative = `What happened must be ${max.toLocaleString('en-GB')} characters or fewer`;
    for (const e of validateAboutYou(about)) next[e.field as Field] ??= e.message;
    setErrors(next);
    setSendError(null);
    if (Object.keys(next).length > 0 || !category) return;
    setBusy(true);
    try {
      const c = await loadCrypto();
      const u = unit === NO_UNIT ? undefined : intake.units.find((x) => x.id === unit);
      const identity = identityOf(about);
      const draft = {
        category,
        ...(u ? { unit: u.id } : {}),
        report: {
          narrative: narrative.trim(),
          ...(when.trim() ? { when: when.trim() } : {}),
          ...(where.trim() ? { where: where.trim() } : {}),
          categoryLabel: intake.categories.find((x) => x.id === category)?.label ?? category,
          ...(u ? { unitLabel: u.label } : {}),
        },
      };
      const auth = open.session.authorization;
      // Named: the name is sealed to the team's identity holders on this case and the recovery key,
      // each chain checked first. If they changed meanwhile (409 recipients_changed), ask again and reseal.
      for (let reseal = 0; ; reseal++) {
        const named = identity ? { identity, info: await api.caseRecipients(auth), orgKey: c.fromB64u(ORG_PUBLIC_KEY) } : undefined;
        const body = c.sealConversion(open.opened.caseKey, open.session.keyPair.publicKey, draft, named);
        try {
          await withStamp((stamp) => api.convert(auth, body, stamp), isStampError);
          break;
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 'recipients_changed' && reseal < MAX_RESEALS)) throw err;
        }
      }
      const view = await api.getCase(open.session.authorization);
      caseStore.set({ session: open.session, view, opened: c.openCaseView(open.session, view) });
      convertedStore.set(true);
      convertingStore.set(false);
      requestAnimationFrame(focusHeading);
    } catch (err) {
      setSendError(sendWords(err));
    } finally {
      setBusy(false);
    }
  };

  const summary = [
    ...(['category', 'unit', 'narrative', 'mode', 'name', 'role', 'contact'] as const).flatMap((f) => (errors[f] ? [{ field: f, message: errors[f] }] : [])),
    ...(sendError ? [{ field: 'narrative', message: sendError }] : []),
  ];
  const groups = [...new Map(intake.units.map((u) => [u.command, u.commandLabel])).entries()].map(([cmd, label]) => ({
    label, items: intake.units.filter((u) => u.command === cmd).map((u) => ({ value: u.id, label: u.label })),
  }));
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={summary} attempt={attempt} />
        <h1 class="govuk-heading-l">Turn your question into a report</h1>
        <p class="govuk-body">
          Your report goes to the same team you asked. Your question and your messages stay with it, and you keep the same case token.
        </p>
        <form noValidate onSubmit={onSubmit}>
          <Radios
            name="category"
            legend="What is your report about?"
            legendSize="m"
            error={errors.category}
            value={category}
            onChange={setCategory}
            items={intake.categories.map((x) => ({ value: x.id, label: x.label, hint: x.hint }))}
            small
          />
          <Radios
            name="unit"
            legend="Which unit or team is it about?"
            legendSize="m"
            error={errors.unit}
            value={unit}
            onChange={setUnit}
            groups={groups}
            orItem={{ value: NO_UNIT, label: 'I would rather not say' }}
            small
          />
          <Textarea id="narrative" label="What happened?" labelSize="m" error={errors.narrative} value={narrative} onInput={setNarrative} rows={8} maxLength={max} />
          <Input id="when" label="When did it happen? (optional)" labelSize="s" value={when} onInput={setWhen} />
          <Input id="where" label="Where did it happen? (optional)" labelSize="s" value={where} onInput={setWhere} />
          <AboutYouQuestion answers={about} onChange={setAbout} err={(f) => errors[f as Field]} legendSize="m" />
          <SendStatus busy={busy} sending="Sending your report…" />
          <ButtonGroup>
            <Button>Send report</Button>
            <Button type="button" variant="secondary" onClick={() => convertingStore.set(false)}>
              Cancel
            </Button>
          </ButtonGroup>
        </form>
      </div>
    </div>
  );
}

export function ConvertForm({ open }: { open: OpenCase }) {
  const state = useIntake();
  if (state.kind === 'ready') return <Form open={open} intake={state.intake} />;
  if (state.kind === 'error') return <p class="govuk-body">We could not load the report questions. Check your internet connection and try again.</p>;
  return <p class="govuk-body" role="status">Loading…</p>;
}
