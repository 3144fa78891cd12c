import { useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Radios, type RadioGroup } from '../components/Radios.tsx';
import { Button, InsetText } from '../components/Simple.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { useStore } from '../store.ts';
import { nextStep, NO_UNIT, previousStep, stepPath, validateStep, type FieldError, type Intake, type StepId } from './flow.ts';
import { answersStore, setAnswer } from './state.ts';
import { ABOUT_YOU_QUESTION, AboutYouQuestion } from './AboutYou.tsx';

/** Page titles: the question each page asks (also its <h1>). */
export const QUESTIONS: Record<StepId, string> = {
  category: 'What is your concern about?',
  unit: 'Which unit or team is it about?',
  'own-unit': 'Who should read your report?',
  'what-happened': 'What happened?',
  when: 'When did it happen? (optional)',
  where: 'Where did it happen? (optional)',
  people: 'Who was involved? (optional)',
  witnesses: 'Did anyone else see or hear it? (optional)',
  'about-you': ABOUT_YOU_QUESTION,
};

interface Props {
  step: StepId;
  intake: Intake;
  fromCheck: boolean;
}

export function QuestionPage({ step, intake, fromCheck }: Props) {
  const a = useStore(answersStore);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const title = QUESTIONS[step];
  const prev = previousStep(step, a, intake);
  usePage(title, { hasErrors: errors.length > 0, back: fromCheck ? '/report/check' : prev === 'start' ? '/' : stepPath(prev) });

  const err = (field: string) => errors.find((e) => e.field === field)?.message;

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const found = validateStep(step, answersStore.get(), intake);
    setErrors(found);
    setAttempt((n) => n + 1);
    if (found.length === 0) navigate(stepPath(nextStep(step, answersStore.get(), intake, fromCheck)));
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        <form noValidate onSubmit={onSubmit}>
          <Fields step={step} intake={intake} err={err} title={title} />
          <Button>Continue</Button>
        </form>
      </div>
    </div>
  );
}

function Fields({ step, intake, err, title }: { step: StepId; intake: Intake; err: (f: string) => string | undefined; title: string }) {
  const a = useStore(answersStore);
  switch (step) {
    case 'category':
      return (
        <Radios
          name="category"
          legend={title}
          isPageHeading
          hint="Choose the one that fits best. The team reads everything you write, so it does not matter if more than one fits."
          error={err('category')}
          value={a.category}
          onChange={(v) => setAnswer('category', v)}
          items={intake.categories.map((c) => ({ value: c.id, label: c.label, hint: c.hint || undefined }))}
        />
      );
    case 'unit': {
      const groups: RadioGroup[] = [];
      for (const u of intake.units) {
        let g = groups.find((x) => x.label === u.commandLabel);
        if (!g) groups.push((g = { label: u.commandLabel, items: [] }));
        g.items.push({ value: u.id, label: u.label });
      }
      return (
        <Radios
          name="unit"
          legend={title}
          isPageHeading
          hint="This is the unit or team of the person or people you are worried about. It helps us send your report to the right team."
          error={err('unit')}
          value={a.unit}
          onChange={(v) => setAnswer('unit', v)}
          groups={groups}
          orItem={{ value: NO_UNIT, label: 'I’d rather not say, or it’s not about a particular unit' }}
          small={intake.units.length > 8}
        />
      );
    }
    case 'own-unit': {
      const unit = intake.units.find((u) => u.id === a.unit);
      const psu = intake.teams.find((t) => t.id === (unit ? intake.routing.commandPsu[unit.command] : undefined));
      const central = intake.teams.find((t) => t.id === intake.routing.centralTeam);
      return (
        <Radios
          name="avoidOwnUnit"
          legend={title}
          isPageHeading
          hint={`Reports about ${unit?.commandLabel ?? 'this command'} usually go to its Professional Standards Unit. If that is your own unit’s Professional Standards Unit and you would rather they did not read it, you can send it to a central team instead.`}
          error={err('avoidOwnUnit')}
          value={a.avoidOwnUnit === undefined ? undefined : a.avoidOwnUnit ? 'yes' : 'no'}
          onChange={(v) => setAnswer('avoidOwnUnit', v === 'yes')}
          items={[
            { value: 'no', label: `Send it to ${psu?.label ?? `the Professional Standards Unit for ${unit?.commandLabel ?? 'this command'}`}` },
            {
              value: 'yes',
              label: 'Do not send this to my own unit’s Professional Standards Unit',
              hint: `It will go to ${central?.label ?? 'the central Directorate of Professional Standards team'} instead.`,
            },
          ]}
        />
      );
    }
    case 'what-happened':
      return (
        <>
          <Textarea
            id="narrative"
            label={title}
            isPageHeading
            hint="Tell us in your own words. Include what was said or done, and how often. You do not need proof."
            error={err('narrative')}
            value={a.narrative}
            onInput={(v) => setAnswer('narrative', v)}
            rows={10}
            maxLength={intake.limits.narrativeMax}
          />
          <InsetText>Nothing is sent until you check your answers and choose to send your report.</InsetText>
        </>
      );
    case 'when':
      return (
        <Textarea
          id="when"
          label={title}
          isPageHeading
          hint="A rough date is fine, for example ‘last week’ or ‘since March’."
          error={err('when')}
          value={a.when}
          onInput={(v) => setAnswer('when', v)}
          rows={2}
        />
      );
    case 'where':
      return (
        <Textarea
          id="where"
          label={title}
          isPageHeading
          hint="For example, a building, an area, a vehicle, or an online group or chat."
          error={err('where')}
          value={a.where}
          onInput={(v) => setAnswer('where', v)}
          rows={3}
        />
      );
    case 'people':
      return (
        <Textarea
          id="people"
          label={title}
          isPageHeading
          hint="Names, roles, shoulder numbers or a description, if you know them."
          error={err('people')}
          value={a.people}
          onInput={(v) => setAnswer('people', v)}
          rows={4}
        />
      );
    case 'witnesses':
      return (
        <Textarea
          id="witnesses"
          label={title}
          isPageHeading
          hint="Tell us who they are, if you know. We will not contact anyone without thinking about how it could affect you."
          error={err('witnesses')}
          value={a.witnesses}
          onInput={(v) => setAnswer('witnesses', v)}
          rows={4}
        />
      );
    case 'about-you':
      return <AboutYouQuestion answers={a} onChange={(next) => answersStore.update((x) => ({ ...x, ...next }))} err={err} isPageHeading />;
  }
}

