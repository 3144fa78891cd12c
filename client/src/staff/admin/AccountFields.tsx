// The fields an administrator sets on an account, for both create and edit.
import { Radios } from '../../components/Radios.tsx';
import { ROLE_WORDS } from '../../triage/words.ts';
import { TextField } from '../Fields.tsx';
import type { Structure } from '../types.ts';

const ROLES = ['triage', 'lead', 'oversight', 'admin'] as const;

export interface AccountFieldValues {
  displayName: string;
  role: string | undefined;
  teams: string[];
  seesIdentity: boolean;
}

interface Props {
  structure: Structure;
  values: AccountFieldValues;
  onChange: (patch: Partial<AccountFieldValues>) => void;
  err: (field: string) => string | undefined;
  /** Editing: say what a move out of case work does. */
  editing?: boolean;
}

export function AccountFields({ structure, values, onChange, err, editing }: Props) {
  const teamsError = err('teams');
  return (
    <>
      <TextField id="display-name" label="Name shown to colleagues" value={values.displayName} onInput={(v) => onChange({ displayName: v })} error={err('display-name')} />
      <Radios
        name="role"
        legend="Role"
        legendSize="s"
        hint={editing ? 'Oversight and administrator accounts have no teams: they lose their teams and their access to every case.' : undefined}
        value={values.role}
        onChange={(v) => onChange({ role: v })}
        error={err('role')}
        items={ROLES.map((r) => ({ value: r, label: ROLE_WORDS[r] ?? r }))}
        small
      />
      <div class={`govuk-form-group${teamsError ? ' govuk-form-group--error' : ''}`}>
        <fieldset class="govuk-fieldset" aria-describedby={`teams-hint${teamsError ? ' teams-error' : ''}`}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Teams</legend>
          <div id="teams-hint" class="govuk-hint">
            For triage officers and team leads only
          </div>
          {teamsError && (
            <p id="teams-error" class="govuk-error-message">
              <span class="govuk-visually-hidden">Error:</span> {teamsError}
            </p>
          )}
          <div class="govuk-checkboxes govuk-checkboxes--small">
            {structure.teams.map((t, i) => {
              const id = i === 0 ? 'teams' : `teams-${t.id}`;
              return (
                <div class="govuk-checkboxes__item" key={t.id}>
                  <input
                    class="govuk-checkboxes__input"
                    id={id}
                    type="checkbox"
                    value={t.id}
                    checked={values.teams.includes(t.id)}
                    onChange={(e) => onChange({ teams: e.currentTarget.checked ? [...values.teams, t.id] : values.teams.filter((x) => x !== t.id) })}
                  />
                  <label class="govuk-label govuk-checkboxes__label" for={id}>
                    {t.label}
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
      </div>
      <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-6">
        <div class="govuk-checkboxes__item">
          <input class="govuk-checkboxes__input" id="sees-identity" type="checkbox" checked={values.seesIdentity} onChange={(e) => onChange({ seesIdentity: e.currentTarget.checked })} />
          <label class="govuk-label govuk-checkboxes__label" for="sees-identity">
            May see the names of reporters who give them
          </label>
        </div>
      </div>
    </>
  );
}
