// Staff accounts as GOV.UK summary cards: a six-column table would scroll
// sideways on a phone or at 200% zoom, and cards read the same at any width.
import { SummaryList, Tag } from '../components/Simple.tsx';
import { ROLE_WORDS } from '../triage/words.ts';
import type { Account } from './types.ts';

function stateTag(a: Account) {
  return <Tag colour={a.state === 'active' ? 'green' : 'yellow'}>{a.state === 'active' ? 'Active' : a.state === 'enrol' ? 'Enrolling' : 'No key'}</Tag>;
}

export function AccountCards({ accounts, teamLabel, onReset }: { accounts: Account[]; teamLabel: (id: string) => string; onReset: (a: Account) => void }) {
  return (
    <>
      <h2 class="govuk-heading-m">Accounts</h2>
      {accounts.map((a) => (
        <div class="govuk-summary-card" key={a.id}>
          <div class="govuk-summary-card__title-wrapper">
            <h3 class="govuk-summary-card__title app-wrap">{a.displayName}</h3>
            <ul class="govuk-summary-card__actions">
              <li class="govuk-summary-card__action">
                {/* The id lets focus come back here when a reset is cancelled. */}
                <button
                  type="button"
                  id={`reset-${a.id}`}
                  class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                  data-module="govuk-button"
                  onClick={() => onReset(a)}
                >
                  Reset<span class="govuk-visually-hidden"> {a.displayName}</span>
                </button>
              </li>
            </ul>
          </div>
          <div class="govuk-summary-card__content">
            <SummaryList
              rows={[
                { key: 'Username', value: <span class="app-wrap">{a.username}</span> },
                { key: 'Role', value: ROLE_WORDS[a.role] ?? a.role },
                { key: 'Teams', value: a.teams.map((t) => `${teamLabel(t.id)}${t.lead ? ' (lead)' : ''}${t.seesIdentity ? ' (sees names)' : ''}`).join(', ') || '—' },
                { key: 'State', value: stateTag(a) },
              ]}
            />
          </div>
        </div>
      ))}
    </>
  );
}
