import { describe, expect, it } from 'vitest';
import { categoryChoices, keepChosen, unitChoices } from './filters.ts';

const intake = {
  categories: [
    { id: 'b-cat', label: 'Bullying', hint: '', team: null },
    { id: 'a-cat', label: 'Abuse of position', hint: '', team: 'dps-central' },
  ],
  units: [
    { id: 'resp-n', label: 'Response', command: 'north', commandLabel: 'North' },
    { id: 'cid', label: 'CID', command: 'north', commandLabel: 'North' },
    { id: 'resp-s', label: 'Response', command: 'south', commandLabel: 'South' },
  ],
};

describe('inbox filter choices', () => {
  it('lists every intake category, by label, whatever cases have been seen', () => {
    expect(categoryChoices(intake, [])).toEqual([
      { value: 'a-cat', label: 'Abuse of position' },
      { value: 'b-cat', label: 'Bullying' },
    ]);
  });
  it('adds categories seen on cases that the intake list lacks, once', () => {
    const seen = [{ id: 'old', label: 'Old category' }, { id: 'old', label: 'Old category' }, { id: 'b-cat', label: 'Bullying' }];
    expect(categoryChoices(intake, seen).map((c) => c.value)).toEqual(['a-cat', 'b-cat', 'old']);
  });
  it('falls back to what was seen when the intake list could not be loaded', () => {
    expect(categoryChoices(null, [{ id: 'x', label: 'X' }, null])).toEqual([{ value: 'x', label: 'X' }]);
    expect(unitChoices(null, [null, { id: 'u', label: 'U' }])).toEqual([{ value: 'u', label: 'U' }]);
  });
  it('lists every unit and tells apart units with the same name by command', () => {
    expect(unitChoices(intake, [])).toEqual([
      { value: 'cid', label: 'CID' },
      { value: 'resp-n', label: 'Response (North)' },
      { value: 'resp-s', label: 'Response (South)' },
    ]);
  });
  it('keeps a chosen value listed', () => {
    expect(keepChosen([{ value: 'a', label: 'A' }], 'z')).toEqual([
      { value: 'a', label: 'A' },
      { value: 'z', label: 'z' },
    ]);
    expect(keepChosen([{ value: 'a', label: 'A' }], 'a')).toHaveLength(1);
    expect(keepChosen([], undefined)).toEqual([]);
  });
});
