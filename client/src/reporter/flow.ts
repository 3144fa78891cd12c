// The report journey as pure functions: which steps apply, which comes next,
// and what each step requires. Rendering lives elsewhere (STYLE.md).
import type { IntakeInfo } from '../../../shared/src/api/schemas.ts';
import type { ReportMode } from '../../../shared/src/api/domain.ts';
import type { Draft } from '../../../shared/src/crypto/reporter.ts';
import { routeReport, routingDataOf } from '../../../shared/src/domain/routing.ts';

export const NO_UNIT = 'none';

export const STEPS = [
  'category',
  'unit',
  'own-unit',
  'what-happened',
  'when',
  'where',
  'people',
  'witnesses',
  'about-you',
] as const;
export type StepId = (typeof STEPS)[number];
export type Target = StepId | 'check';

export interface Answers {
  category?: string;
  /** A unit id, or NO_UNIT when the reporter would rather not say. */
  unit?: string;
  avoidOwnUnit?: boolean;
  narrative: string;
  when: string;
  where: string;
  people: string;
  witnesses: string;
  mode?: ReportMode;
  name: string;
  role: string;
  contact: string;
}

/** The "about you" answers: also asked when advice or a private record becomes a report (AboutYou.tsx). */
export type AboutYou = Pick<Answers, 'mode' | 'name' | 'role' | 'contact'>;

export function emptyAboutYou(): AboutYou {
  return { name: '', role: '', contact: '' };
}

export function emptyAnswers(): Answers {
  return { narrative: '', when: '', where: '', people: '', witnesses: '', name: '', role: '', contact: '' };
}

/** Limits that are the client's own choice, so the sealed identity fits its 4 KiB bucket. */
export const TEXT_MAX = { short: 5_000, name: 200, role: 200, contact: 500 } as const;

export type Intake = Pick<IntakeInfo, 'categories' | 'units' | 'teams' | 'routing'> & {
  limits: Pick<IntakeInfo['limits'], 'narrativeMax'>;
};

export function isStep(s: string): s is StepId {
  return (STEPS as readonly string[]).includes(s);
}

export function stepPath(t: Target): string {
  return `/report/${t}`;
}

/** The own-unit question only matters when routing would otherwise pick the unit's command PSU. */
export function applies(step: StepId, a: Answers, intake: Intake): boolean {
  if (step !== 'own-unit') return true;
  const category = intake.categories.find((c) => c.id === a.category);
  if (!category || category.team !== null) return false;
  if (!a.unit || a.unit === NO_UNIT) return false;
  return intake.units.some((u) => u.id === a.unit);
}

export interface FieldError {
  /** The id of the field the error summary links to. */
  field: string;
  message: string;
}

const tooLong = (label: string, max: number) => `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`;

/** Anonymous or named, and for a named reporter a name within the limits (so the sealed identity fits its bucket). */
export function validateAboutYou(a: AboutYou): FieldError[] {
  const errors: FieldError[] = [];
  const textMax = (field: 'name' | 'role' | 'contact', label: string, max: number) => {
    if (a[field].length > max) errors.push({ field, message: tooLong(label, max) });
  };
  if (!a.mode) {
    errors.push({ field: 'mode', message: 'Select if you want to stay anonymous or give your name' });
  } else if (a.mode === 'named') {
    if (!a.name.trim()) errors.push({ field: 'name', message: 'Enter your name' });
    else textMax('name', 'Your name', TEXT_MAX.name);
    textMax('role', 'Your role', TEXT_MAX.role);
    textMax('contact', 'How we can contact you', TEXT_MAX.contact);
  }
  return errors;
}

export function validateStep(step: StepId, a: Answers, intake: Intake): FieldError[] {
  const errors: FieldError[] = [];
  const textMax = (field: keyof Answers & string, label: string, max: number) => {
    const v = a[field];
    if (typeof v === 'string' && v.length > max) errors.push({ field, message: tooLong(label, max) });
  };
  switch (step) {
    case 'category':
      if (!a.category || !intake.categories.some((c) => c.id === a.category)) {
        errors.push({ field: 'category', message: 'Select what your concern is about' });
      }
      break;
    case 'unit':
      if (!a.unit || (a.unit !== NO_UNIT && !intake.units.some((u) => u.id === a.unit))) {
        errors.push({ field: 'unit', message: 'Select the unit or team it is about, or select that you would rather not say' });
      }
      break;
    case 'own-unit':
      if (a.avoidOwnUnit === undefined) errors.push({ field: 'avoidOwnUnit', message: 'Select who should read your report' });
      break;
    case 'what-happened':
      if (!a.narrative.trim()) errors.push({ field: 'narrative', message: 'Enter what happened' });
      else textMax('narrative', 'What happened', intake.limits.narrativeMax);
      break;
    case 'when':
      textMax('when', 'When it happened', TEXT_MAX.short);
      break;
    case 'where':
      textMax('where', 'Where it happened', TEXT_MAX.short);
      break;
    case 'people':
      textMax('people', 'Who was involved', TEXT_MAX.short);
      break;
    case 'witnesses':
      textMax('witnesses', 'Witnesses', TEXT_MAX.short);
      break;
    case 'about-you':
      errors.push(...validateAboutYou(a));
      break;
  }
  return errors;
}

/** The first step that applies and is not yet valid, or 'check' when everything is answered. */
export function firstIncomplete(a: Answers, intake: Intake): Target {
  for (const step of STEPS) {
    if (applies(step, a, intake) && validateStep(step, a, intake).length > 0) return step;
    // Optional steps are "complete" when valid, so an untouched optional step
    // does not stop the journey; required ones stop it here.
  }
  return 'check';
}

/** True when a step may be shown: every earlier applicable required step is answered. */
export function canVisit(step: StepId, a: Answers, intake: Intake): boolean {
  for (const s of STEPS) {
    if (s === step) return applies(step, a, intake);
    if (applies(s, a, intake) && validateStep(s, a, intake).length > 0) return false;
  }
  return false;
}

/**
 * Where "Continue" goes. Coming from the check page, it goes back there, unless
 * the change made a later question necessary (for example a new unit now needs
 * the own-unit answer).
 */
export function nextStep(step: StepId, a: Answers, intake: Intake, fromCheck = false): Target {
  if (fromCheck) return firstIncomplete(a, intake);
  const i = STEPS.indexOf(step);
  for (const s of STEPS.slice(i + 1)) if (applies(s, a, intake)) return s;
  return 'check';
}

export function previousStep(step: StepId | 'check', a: Answers, intake: Intake): StepId | 'start' {
  const i = step === 'check' ? STEPS.length : STEPS.indexOf(step);
  for (const s of STEPS.slice(0, i).reverse()) if (applies(s, a, intake)) return s;
  return 'start';
}

export function categoryLabel(a: Answers, intake: Intake): string | undefined {
  return intake.categories.find((c) => c.id === a.category)?.label;
}

export function unitLabel(a: Answers, intake: Intake): string | undefined {
  if (a.unit === NO_UNIT) return undefined;
  const u = intake.units.find((x) => x.id === a.unit);
  return u ? `${u.label} (${u.commandLabel})` : undefined;
}

/** The team the report will go to: the server's own routing rule (shared/src/domain/routing.ts) on IntakeInfo. */
export function routedTeamLabel(a: Answers, intake: Intake): string | undefined {
  if (!a.category) return undefined;
  const unit = a.unit && a.unit !== NO_UNIT ? a.unit : undefined;
  const routed = routeReport({ category: a.category, unit, avoidOwnUnit: a.avoidOwnUnit }, routingDataOf(intake));
  return routed.ok ? intake.teams.find((t) => t.id === routed.team)?.label : undefined;
}

const opt = (s: string): string | undefined => (s.trim() ? s.trim() : undefined);

/** The draft the crypto seals. Empty optional answers are left out, not sent as "". */
export function toDraft(a: Answers, intake: Intake): Draft {
  if (!a.category || !a.mode) throw new Error('toDraft called before the journey is complete');
  const report: Draft['report'] = { narrative: a.narrative.trim() };
  const when = opt(a.when);
  const where = opt(a.where);
  const people = opt(a.people);
  const witnesses = opt(a.witnesses);
  const cat = categoryLabel(a, intake);
  const unit = unitLabel(a, intake);
  if (when) report.when = when;
  if (where) report.where = where;
  if (people) report.people = people;
  if (witnesses) report.witnesses = witnesses;
  if (cat) report.categoryLabel = cat;
  if (unit) report.unitLabel = unit;
  const draft: Draft = { mode: a.mode, category: a.category, report };
  if (a.unit && a.unit !== NO_UNIT) draft.unit = a.unit;
  if (applies('own-unit', a, intake) && a.avoidOwnUnit !== undefined) draft.avoidOwnUnit = a.avoidOwnUnit;
  const identity = identityOf(a);
  if (identity) draft.identity = identity;
  return draft;
}

/** What a named reporter's sealed identity holds (empty optional answers left out); none when anonymous. */
export function identityOf(a: AboutYou): Draft['identity'] {
  if (a.mode !== 'named') return undefined;
  const identity: NonNullable<Draft['identity']> = { name: a.name.trim() };
  const role = opt(a.role);
  const contact = opt(a.contact);
  if (role) identity.role = role;
  if (contact) identity.contact = contact;
  return identity;
}
