// Every member of a team sees who was added to or removed from its recipients:
// a key an administrator slipped in would show here, in every colleague's inbox.
import { useEffect, useState } from 'preact/hooks';
import type { KeyChangeWire } from '../../../shared/src/api/keys.ts';
import { staffApi } from '../staff/api.ts';
import { formatDay } from '../reporter/words.ts';
import { changeWords } from './keyWords.ts';

export function KeyChangesBanner() {
  const [changes, setChanges] = useState<KeyChangeWire[]>([]);
  useEffect(() => {
    staffApi.keyChanges().then((r) => setChanges(r.changes), () => setChanges([]));
  }, []);
  if (changes.length === 0) return null;
  return (
    <div class="govuk-notification-banner" role="region" aria-labelledby="key-changes-title" data-module="govuk-notification-banner" data-testid="key-changes">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="key-changes-title">
          Changes to who can read your team’s reports
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <ul class="govuk-list">
          {changes.slice(0, 5).map((c) => (
            <li key={`${c.team}-${c.seq}`}>
              {formatDay(c.on)}: {changeWords(c)}.
            </li>
          ))}
        </ul>
        <p class="govuk-body">
          If you do not recognise a change, tell your team lead and your Professional Standards management at once.{' '}
          <a class="govuk-notification-banner__link" href="/triage/keys">
            See your team’s keys
          </a>
        </p>
      </div>
    </div>
  );
}
