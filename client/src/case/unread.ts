// The reporter keeps nothing between visits (no storage, by design), so
// "new" cannot mean "not seen on this device". It means what a reporter
// needs to know: replies from the team since the reporter last wrote.
import type { OpenedMessage } from '../../../shared/src/crypto/reporter.ts';

/** Ids of team messages after the reporter's latest message (all team messages if the reporter never wrote). */
export function newReplies(messages: readonly Pick<OpenedMessage, 'id' | 'from'>[]): Set<string> {
  let lastOwn = -1;
  messages.forEach((m, i) => {
    if (m.from === 'reporter') lastOwn = i;
  });
  return new Set(messages.slice(lastOwn + 1).filter((m) => m.from === 'triage').map((m) => m.id));
}
