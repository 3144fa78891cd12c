import { describe, expect, it } from 'vitest';
import {
  applies,
  canVisit,
  emptyAboutYou,
  emptyAnswers,
  firstIncomplete,
  identityOf,
  nextStep,
  NO_UNIT,
  previousStep,
  routedTeamLabel,
  toDraft,
  validateAboutYou,
  validateStep,
  type Answers,
  type Intake,
} from './flow.ts';

const intake: Intake = {
  categories: [
    { id: 'sexual-harassment', label: 'Sexual harassment', hint: '', team: 'dps-sexual-misconduct' },
    { id: 'bullying', label: 'Bullying', hint: '', team: null },
  ],
  units: [
    { id: 'north-response', label: 'North response', command: 'north', commandLabel: 'North command' },
    { id: 'south-cid', label: 'South CID', command: 'south', commandLabel: 'South command' },
  ],
  teams: [
    { id: 'dps-sexual-misconduct', label: 'DPS sexual misconduct team', central: true },
    { id: 'dps-central', label: 'DPS central team', central: true },
    { id: 'psu-north', label: 'North PSU', central: false },
  ],
  routing: { centralTeam: 'dps-central', commandPsu: { north: 'psu-north' } },
  limits: { narrativeMax: 100 },
};

const answers = (over: Partial<Answers>): Answers => ({ ...emptyAnswers(), ...over });

describe('applies', () => {
  it('asks about the own unit only when routing would pick the command PSU', () => {
    expect(applies('own-unit', answers({ category: 'bullying', unit: 'north-response' }), intake)).toBe(true);
    expect(applies('own-unit', answers({ category: 'sexual-harassment', unit: 'north-response' }), intake)).toBe(false);
    expect(applies('own-unit', answers({ category: 'bullying', unit: NO_UNIT }), intake)).toBe(false);
    expect(applies('own-unit', answers({}), intake)).toBe(false);
  });
});

describe('nextStep / previousStep', () => {
  it('walks the steps in order, skipping the own-unit question when it does not apply', () => {
    const a = answers({ category: 'sexual-harassment', unit: 'north-response' });
    expect(nextStep('category', a, intake)).toBe('unit');
    expect(nextStep('unit', a, intake)).toBe('what-happened');
    expect(previousStep('what-happened', a, intake)).toBe('unit');
    const b = answers({ category: 'bullying', unit: 'north-response' });
    expect(nextStep('unit', b, intake)).toBe('own-unit');
    expect(previousStep('what-happened', b, intake)).toBe('own-unit');
  });
  it('ends at check and starts at start', () => {
    const a = answers({});
    expect(nextStep('about-you', a, intake)).toBe('check');
    expect(previousStep('category', a, intake)).toBe('start');
    expect(previousStep('check', a, intake)).toBe('about-you');
  });
  it('returns to check after a change, unless a new answer is now needed', () => {
    const done = answers({ category: 'sexual-harassment', unit: 'north-response', narrative: 'x', mode: 'anonymous' });
    expect(nextStep('when', done, intake, true)).toBe('check');
    const changed = { ...done, category: 'bullying' };
    expect(nextStep('category', changed, intake, true)).toBe('own-unit');
  });
});

describe('validateStep', () => {
  it('requires a category and a unit choice', () => {
    expect(validateStep('category', answers({}), intake)).toEqual([{ field: 'category', message: 'Select what your concern is about' }]);
    expect(validateStep('category', answers({ category: 'made-up' }), intake)).toHaveLength(1);
    expect(validateStep('unit', answers({ unit: NO_UNIT }), intake)).toEqual([]);
    expect(validateStep('unit', answers({}), intake)[0]?.field).toBe('unit');
  });
  it('requires what happened, within the limit', () => {
    expect(validateStep('what-happened', answers({ narrative: '   ' }), intake)[0]?.message).toBe('Enter what happened');
    expect(validateStep('what-happened', answers({ narrative: 'a'.repeat(101) }), intake)[0]?.message).toBe(
      'What happened must be 100 characters or fewer',
    );
    expect(validateStep('what-happened', answers({ narrative: 'a'.repeat(100) }), intake)).toEqual([]);
  });
  it('leaves the optional details optional', () => {
    for (const s of ['when', 'where', 'people', 'witnesses'] as const) expect(validateStep(s, answers({}), intake)).toEqual([]);
  });
  it('needs a name only for a named report', () => {
    expect(validateStep('about-you', answers({}), intake)[0]?.field).toBe('mode');
    expect(validateStep('about-you', answers({ mode: 'anonymous' }), intake)).toEqual([]);
    expect(validateStep('about-you', answers({ mode: 'named' }), intake)).toEqual([{ field: 'name', message: 'Enter your name' }]);
    expect(validateStep('about-you', answers({ mode: 'named', name: 'A' }), intake)).toEqual([]);
  });
  it('checks "about you" alike wherever it is asked (the journey, advice or a record turned into a report)', () => {
    const about = emptyAboutYou();
    expect(validateAboutYou(about)).toEqual(validateStep('about-you', answers({}), intake));
    expect(validateAboutYou({ ...about, mode: 'named', name: '  ' })).toEqual([{ field: 'name', message: 'Enter your name' }]);
    expect(validateAboutYou({ ...about, mode: 'named', name: 'A', contact: 'x'.repeat(501) })).toEqual([
      { field: 'contact', message: 'How we can contact you must be 500 characters or fewer' },
    ]);
    expect(identityOf({ ...about, mode: 'anonymous', name: 'Left over' })).toBeUndefined();
    expect(identityOf({ mode: 'named', name: ' A ', role: ' ', contact: 'c' })).toEqual({ name: 'A', contact: 'c' });
  });
  it('asks for the own-unit choice when it applies', () => {
    expect(validateStep('own-unit', answers({}), intake)[0]?.field).toBe('avoidOwnUnit');
  });
});

describe('firstIncomplete / canVisit', () => {
  it('finds the first unanswered required step', () => {
    expect(firstIncomplete(answers({}), intake)).toBe('category');
    expect(firstIncomplete(answers({ category: 'bullying', unit: 'north-response' }), intake)).toBe('own-unit');
    expect(firstIncomplete(answers({ category: 'bullying', unit: NO_UNIT, narrative: 'x' }), intake)).toBe('about-you');
  });
  it('does not let a deep link skip required steps', () => {
    expect(canVisit('category', answers({}), intake)).toBe(true);
    expect(canVisit('what-happened', answers({}), intake)).toBe(false);
    expect(canVisit('what-happened', answers({ category: 'bullying', unit: NO_UNIT }), intake)).toBe(true);
    expect(canVisit('own-unit', answers({ category: 'bullying', unit: NO_UNIT }), intake)).toBe(false);
  });
});

describe('routing and the sealed draft', () => {
  it('names the team that will read the report', () => {
    expect(routedTeamLabel(answers({ category: 'sexual-harassment', unit: 'north-response' }), intake)).toBe('DPS sexual misconduct team');
    expect(routedTeamLabel(answers({ category: 'bullying', unit: 'north-response', avoidOwnUnit: false }), intake)).toBe('North PSU');
    expect(routedTeamLabel(answers({ category: 'bullying', unit: 'north-response', avoidOwnUnit: true }), intake)).toBe('DPS central team');
    expect(routedTeamLabel(answers({ category: 'bullying', unit: NO_UNIT }), intake)).toBe('DPS central team');
    expect(routedTeamLabel(answers({ category: 'bullying', unit: 'south-cid' }), intake)).toBe('DPS central team');
  });
  it('leaves out empty optional answers and the identity of an anonymous reporter', () => {
    const a = answers({ category: 'bullying', unit: NO_UNIT, narrative: ' it happened ', when: ' ', mode: 'anonymous', name: 'left over' });
    expect(toDraft(a, intake)).toEqual({
      mode: 'anonymous',
      category: 'bullying',
      report: { narrative: 'it happened', categoryLabel: 'Bullying' },
    });
  });
  it('includes unit, own-unit choice and identity for a named report', () => {
    const a = answers({
      category: 'bullying',
      unit: 'north-response',
      avoidOwnUnit: true,
      narrative: 'n',
      where: 'canteen',
      mode: 'named',
      name: 'Sam',
      contact: 'sam@example.org',
    });
    expect(toDraft(a, intake)).toEqual({
      mode: 'named',
      category: 'bullying',
      unit: 'north-response',
      avoidOwnUnit: true,
      report: { narrative: 'n', where: 'canteen', categoryLabel: 'Bullying', unitLabel: 'North response (North command)' },
      identity: { name: 'Sam', contact: 'sam@example.org' },
    });
  });
  it('does not send an own-unit choice that no longer applies', () => {
    const a = answers({ category: 'sexual-harassment', unit: 'north-response', avoidOwnUnit: true, narrative: 'n', mode: 'anonymous' });
    expect(toDraft(a, intake).avoidOwnUnit).toBeUndefined();
  });
});
