import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CATEGORIES, CENTRAL_DEFAULT_TEAM, COMMANDS } from '../../../seeds/structure.ts';
import { routeReport, type RoutingData } from './routing.ts';

const data: RoutingData = {
  categories: new Map(CATEGORIES.map((c) => [c.id, { team: c.team }])),
  units: new Map(COMMANDS.flatMap((c) => c.units.map((u) => [u.id, { command: c.id }] as const))),
  commandPsu: new Map(COMMANDS.map((c) => [c.id, c.psuTeam.id])),
  centralTeam: CENTRAL_DEFAULT_TEAM,
};

describe('routeReport', () => {
  it('sends a local category to the PSU of the unit’s command', () => {
    expect(routeReport({ category: 'bullying', unit: 'nw-response-camden' }, data)).toEqual({ ok: true, team: 'nw-bcu-psu' });
    expect(routeReport({ category: 'sexual-harassment', unit: 'cs-custody-brixton' }, data)).toEqual({ ok: true, team: 'cs-bcu-psu' });
  });

  it('lets a category’s own central team win over the unit and avoidOwnUnit', () => {
    expect(routeReport({ category: 'domestic-abuse', unit: 'nw-cid' }, data)).toEqual({ ok: true, team: 'dps-smda' });
    expect(routeReport({ category: 'corruption', avoidOwnUnit: true }, data)).toEqual({ ok: true, team: 'dps-counter-corruption' });
    expect(routeReport({ category: 'discrimination' }, data)).toEqual({ ok: true, team: 'dps-discrimination' });
  });

  it('sends avoidOwnUnit or no unit to the central default team', () => {
    expect(routeReport({ category: 'bullying', unit: 'nw-cid', avoidOwnUnit: true }, data)).toEqual({ ok: true, team: 'dps-central' });
    expect(routeReport({ category: 'victimisation' }, data)).toEqual({ ok: true, team: 'dps-central' });
    expect(routeReport({ category: 'other', unit: 'mo-dogs', avoidOwnUnit: false }, data)).toEqual({ ok: true, team: 'met-ops-psu' });
  });

  it('refuses unknown categories and units', () => {
    expect(routeReport({ category: 'nope' }, data)).toEqual({ ok: false, code: 'unknown_category' });
    expect(routeReport({ category: 'bullying', unit: 'nope' }, data)).toEqual({ ok: false, code: 'unknown_unit' });
    expect(routeReport({ category: 'corruption', unit: 'nope', avoidOwnUnit: true }, data)).toEqual({ ok: false, code: 'unknown_unit' });
  });

  it('never routes a report that avoids its own unit to that unit’s PSU', () => {
    const units = [...data.units.keys()];
    fc.assert(fc.property(fc.constantFrom(...CATEGORIES.map((c) => c.id)), fc.constantFrom(...units), (category, unit) => {
      const r = routeReport({ category, unit, avoidOwnUnit: true }, data);
      const own = data.commandPsu.get(data.units.get(unit)!.command);
      return r.ok && r.team !== own;
    }));
  });
});
