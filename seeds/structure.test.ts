import { describe, expect, it } from 'vitest';
import { CATEGORIES, CENTRAL_DEFAULT_TEAM, CENTRAL_TEAMS, COMMANDS } from './structure.ts';

const slug = /^[a-z0-9][a-z0-9-]{0,63}$/;

describe('seed structure', () => {
  it('routes every central category to a central team that exists', () => {
    const central = new Set(CENTRAL_TEAMS.map((t) => t.id));
    expect(central.has(CENTRAL_DEFAULT_TEAM)).toBe(true);
    for (const c of CATEGORIES) if (c.team !== null) expect(central.has(c.team), c.id).toBe(true);
    expect(CATEGORIES.find((c) => c.id === 'domestic-abuse')?.team).toBe('dps-smda');
    expect(CATEGORIES.find((c) => c.id === 'abuse-of-position')?.team).toBe('dps-counter-corruption');
  });

  it('uses unique slugs the wire schema accepts', () => {
    const ids = [
      ...CATEGORIES.map((c) => c.id), ...CENTRAL_TEAMS.map((t) => t.id),
      ...COMMANDS.flatMap((c) => [c.id, c.psuTeam.id, ...c.units.map((u) => u.id)]),
    ];
    for (const id of ids) expect(id).toMatch(slug);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
