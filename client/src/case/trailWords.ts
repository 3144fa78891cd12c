// The words of the case trail, for the reporter's follow-up page and the triage
// case page alike. Teams are named by role; a person only ever on staff pages.
import type { PromiseState } from '../../../shared/src/domain/trail.ts';
import { formatDay, outcomeWords } from '../reporter/words.ts';

export interface TrailStep {
  status: string;
  on: string;
  /** A referral's receiving team, by role. */
  to?: string;
  /** Staff pages only: who acted. */
  by?: string;
}

/** What a step says. `reopened`: the step right after a closing. `outcome`: the last closing's outcome. */
export function stepTitle(step: TrailStep, reopened: boolean, outcome?: string): string {
  if (reopened) return 'Case reopened and being assessed again';
  switch (step.status) {
    case 'received': return 'Report received';
    case 'acknowledged': return 'Report acknowledged';
    case 'assessing': return 'Being assessed';
    case 'investigating': return 'Investigation started';
    case 'referred': return step.to ? `Referred to ${step.to}` : 'Referred to another team';
    case 'closed': return outcome ? `Case closed: ${outcomeWords(outcome)}` : 'Case closed';
    default: return step.status;
  }
}

export type PromiseWords = { tag: string; colour: 'green' | 'red' | 'blue'; detail: string };

/** A promise's state as a tag and a sentence: kept / broken / due by <date>. */
export function promiseWords(p: PromiseState, what: string): PromiseWords {
  if (p.state === 'kept') return { tag: 'Kept', colour: 'green', detail: `${what} on ${formatDay(p.on)}, by ${formatDay(p.due)} as promised.` };
  if (p.state === 'broken') {
    return {
      tag: 'Broken',
      colour: 'red',
      detail: p.on ? `${what} on ${formatDay(p.on)}, after the promised ${formatDay(p.due)}.` : `Not yet done. It was due by ${formatDay(p.due)}.`,
    };
  }
  return { tag: `Due by ${formatDay(p.due)}`, colour: 'blue', detail: 'Not yet done.' };
}
