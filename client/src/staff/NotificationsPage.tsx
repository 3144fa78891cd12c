// A triage user's notification choices: per kind of event, how they hear of
// it. The mails never say anything of a case; reporter-caused events are only
// ever batched, so "straight away" is offered for staff-caused ones alone.
import { useEffect, useState } from 'preact/hooks';
import type { PreferencesInfo } from '../../../shared/src/api/notifications.ts';
import { KINDS, type Delivery, type NotificationKind } from '../../../shared/src/domain/notifications.ts';
import { Radios } from '../components/Radios.tsx';
import { usePage } from '../page.ts';
import { request } from './api.ts';

const WORDS: Record<Delivery, string> = {
  immediate: 'Straight away',
  batch: 'In the next batch (at most one email an hour)',
  daily: 'In a daily summary',
  weekly: 'In a weekly summary',
  off: 'Do not email me',
};

export function NotificationsPage() {
  const [info, setInfo] = useState<PreferencesInfo | null>(null);
  const [choice, setChoice] = useState<Partial<Record<NotificationKind, Delivery>>>({});
  const [state, setState] = useState<'loading' | 'ready' | 'saving' | 'saved' | 'failed'>('loading');
  usePage('Email notifications', { back: '/triage' });

  useEffect(() => {
    request<PreferencesInfo>('/notifications/preferences')
      .then((p) => { setInfo(p); setState('ready'); })
      .catch(() => setState('failed'));
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!info || state === 'saving') return;
    setState('saving');
    try {
      const preferences = info.kinds.map((k) => ({ kind: k.kind, delivery: choice[k.kind] ?? k.delivery }));
      setInfo(await request<PreferencesInfo>('/notifications/preferences', { json: { preferences } }));
      setChoice({});
      setState('saved');
    } catch {
      setState('failed');
    }
  };

  return (
    <>
      {state === 'saved' && (
        <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="saved-title">
          <div class="govuk-notification-banner__header">
            <h2 class="govuk-notification-banner__title" id="saved-title">Success</h2>
          </div>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">Your choices are saved</p>
          </div>
        </div>
      )}
      <h1 class="govuk-heading-l">Email notifications</h1>
      <p class="govuk-body">
        Emails tell you only that there is something to look at, and how many. They never include a case reference,
        category, place or any words from a report. Sign in to see the case itself.
      </p>
      <p class="govuk-body">
        New reports and messages from reporters are never emailed the moment they arrive, so that an email cannot show
        when someone made a report.
      </p>
      {state === 'failed' && <p class="govuk-body govuk-error-message">Your choices could not be loaded or saved. Try again.</p>}
      {info && !info.hasEmail && (
        <div class="govuk-inset-text">No email address is set for your account, so no emails are sent. Ask your administrator to add one.</div>
      )}
      {info && (
        <form onSubmit={save} noValidate>
          {info.kinds.map((k) => (
            <Radios
              key={k.kind}
              name={`pref-${k.kind}`}
              legend={KINDS[k.kind].label}
              legendSize="m"
              small
              hint={k.offForAll ? 'Your administrator has switched these emails off for everyone.' : undefined}
              value={choice[k.kind] ?? k.delivery}
              onChange={(v) => setChoice({ ...choice, [k.kind]: v as Delivery })}
              items={k.allowed.map((d) => ({ value: d, label: WORDS[d] }))}
            />
          ))}
          <button type="submit" class="govuk-button" data-module="govuk-button" disabled={state === 'saving'}>
            Save choices
          </button>
        </form>
      )}
    </>
  );
}
