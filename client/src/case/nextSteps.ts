// The follow-up page's line on what comes next, from the case's promises as they stand today.
import type { CaseView } from '../../../shared/src/api/schemas.ts';
import { promises } from '../../../shared/src/domain/trail.ts';
import { formatDay } from '../reporter/words.ts';

/**
 * What the reporter can expect next, as the promises stand today: a date still ahead is a promise; a date gone by
 * without the step is said plainly (the trail below shows it as broken), never "should … by" a day already past.
 */
export function nextSteps(view: Pick<CaseView, 'status' | 'history' | 'due'>, advice: boolean, today: string): string | null {
  const ask = 'If you want to know what is happening, send them a message below.';
  if (advice) {
    return today > view.due.acknowledge
      ? `The team should have answered your question by ${formatDay(view.due.acknowledge)}. ${ask}`
      : `The team should answer your question by ${formatDay(view.due.acknowledge)}.`;
  }
  if (view.status === 'closed') return null;
  const p = promises(view.history, view.due, today);
  if (p.acknowledge.state === 'due') return `The team should confirm they have your report by ${formatDay(view.due.acknowledge)}.`;
  if (p.acknowledge.state === 'broken' && p.acknowledge.on === undefined) {
    return `The team should have confirmed they had your report by ${formatDay(view.due.acknowledge)}, and has not yet. ${ask}`;
  }
  if (p.feedback.state === 'due') return `The team should tell you what they are doing about your report by ${formatDay(view.due.feedback)}.`;
  if (p.feedback.state === 'broken' && p.feedback.on === undefined) {
    return `The team should have told you what they are doing about your report by ${formatDay(view.due.feedback)}, and has not yet. ${ask}`;
  }
  return null;
}
