// Inbox filter choices. Category and unit come from the public intake list
// (GET /api/v1/intake), so every category and unit can be chosen, not only those
// of cases already on screen; labels seen on cases fill in if the list is missing.
import type { IntakeInfo } from '../../../shared/src/api/schemas.ts';

export interface Choice {
  value: string;
  label: string;
}

type Labelled = { id: string; label: string } | null;

function sorted(map: Map<string, string>): Choice[] {
  return [...map].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label) || a.value.localeCompare(b.value));
}

/** Every category of the intake list, plus any seen on cases (e.g. retired since), once each, by label. */
export function categoryChoices(intake: Pick<IntakeInfo, 'categories'> | null, seen: Labelled[]): Choice[] {
  const m = new Map<string, string>();
  for (const c of intake?.categories ?? []) m.set(c.id, c.label);
  for (const c of seen) if (c && !m.has(c.id)) m.set(c.id, c.label);
  return sorted(m);
}

/**
 * Every unit of the intake list, plus any seen on cases, once each, by label. A unit
 * name used in more than one command is told apart by its command ("Response (North)").
 */
export function unitChoices(intake: Pick<IntakeInfo, 'units'> | null, seen: Labelled[]): Choice[] {
  const units = intake?.units ?? [];
  const count = new Map<string, number>();
  for (const u of units) count.set(u.label, (count.get(u.label) ?? 0) + 1);
  const m = new Map<string, string>();
  for (const u of units) m.set(u.id, (count.get(u.label) ?? 0) > 1 ? `${u.label} (${u.commandLabel})` : u.label);
  for (const u of seen) if (u && !m.has(u.id)) m.set(u.id, u.label);
  return sorted(m);
}

/** Keeps a chosen value listed even if the lists no longer hold it. */
export function keepChosen(opts: Choice[], v: string | undefined): Choice[] {
  return v && !opts.some((o) => o.value === v) ? [...opts, { value: v, label: v }] : opts;
}
