// The admin account form's checks, kept apart from rendering so they can be tested.
// The display-name rule is the server's own (shared/src/domain/names.ts).
import { displayNameProblem } from '../../../../shared/src/domain/names.ts';
import type { FieldError } from '../../reporter/flow.ts';

export const CASE_ROLES = ['triage', 'lead'] as const;
export const isCaseRole = (role: string | undefined): boolean => role === 'triage' || role === 'lead';

export interface AccountFormValues {
  /** Only when creating: the username never changes. */
  username?: string;
  displayName: string;
  role: string | undefined;
  teams: string[];
}

const NAME_MESSAGES = {
  missing: 'Enter the person’s name',
  too_long: 'The name must be 120 characters or fewer',
  invisible: 'The name must not contain hidden characters, such as ones that reverse the direction of text. Type the name again without copying it',
} as const;

export function nameError(displayName: string): string | undefined {
  const problem = displayNameProblem(displayName.trim());
  return problem ? NAME_MESSAGES[problem] : undefined;
}

export function validateAccount(f: AccountFormValues): FieldError[] {
  const errors: FieldError[] = [];
  if (f.username !== undefined && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(f.username.trim())) {
    errors.push({ field: 'new-username', message: 'Enter a username of lowercase letters, numbers, dots or hyphens' });
  }
  const name = nameError(f.displayName);
  if (name) errors.push({ field: 'display-name', message: name });
  if (!f.role) errors.push({ field: 'role', message: 'Select a role' });
  if (isCaseRole(f.role) && f.teams.length === 0) errors.push({ field: 'teams', message: 'Select at least one team' });
  return errors;
}

/** Team grants as the API takes them: oversight and admin hold none; a lead leads every team they are in. */
export function grantsFor(role: string, teams: string[], seesIdentity: boolean) {
  return isCaseRole(role) ? teams.map((id) => ({ id, seesIdentity, lead: role === 'lead' })) : [];
}

export function stateWords(a: { state: string; deactivatedOn: string | null }): { text: string; colour: string } {
  if (a.deactivatedOn) return { text: 'Deactivated', colour: 'grey' };
  if (a.state === 'active') return { text: 'Active', colour: 'green' };
  if (a.state === 'enrol') return { text: 'Awaiting enrolment', colour: 'yellow' };
  return { text: 'No sign-in', colour: 'blue' };
}
