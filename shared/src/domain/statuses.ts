// Which status may follow which, for server and browser alike. Forward only;
// closing may come from any open status. A referred case may then have its
// investigation started by the receiving team (issue 14: the reporter's trail
// shows "investigation started" after "referred to a central team"); an
// investigation already running is not then referred by a status change.
import { STATUSES, type CaseStatus } from '../api/domain.ts';

const RANK: Record<CaseStatus, number> = { received: 0, acknowledged: 1, assessing: 2, referred: 3, investigating: 4, closed: 5 };

export const canMove = (from: CaseStatus, to: CaseStatus): boolean => RANK[to] > RANK[from];

/** The statuses a case may move to next, in the usual order. */
export const nextStatuses = (current: CaseStatus): CaseStatus[] => STATUSES.filter((s) => canMove(current, s));
