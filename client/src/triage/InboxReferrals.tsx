// Referrals above the inbox list: cases another team referred to mine (open one
// to check it reaches you; it then moves here), cases my team referred that wait
// for the other team (overdue after a few days), and, for leads, referrals that
// came back because the other team's browser could not open them.
import { useEffect, useState } from 'preact/hooks';
import { REFERRAL_STALE_DAYS } from '../../../shared/src/api/staff.ts';
import type { ReferralList } from '../../../shared/src/api/staff.ts';
import { Button } from '../components/Simple.tsx';
import { formatDay } from '../reporter/words.ts';
import { staffApi } from '../staff/api.ts';
import { caseHref } from './InboxCells.tsx';
import { REASON_WORDS } from './referral.ts';

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export function InboxReferrals() {
  const [list, setList] = useState<ReferralList | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    // Not essential to the inbox: if it fails, the list of cases still shows.
    staffApi.referrals().then((r) => live && setList(r), () => undefined);
    return () => {
      live = false;
    };
  }, [version]);
  if (!list) return null;
  const { incoming, outgoing, returned } = list;
  const dismiss = async (ref: string) => {
    await staffApi.dismissReferral(ref).catch(() => undefined);
    setVersion((n) => n + 1);
  };
  return (
    <>
      {returned.length > 0 && (
        <section class="govuk-!-margin-bottom-6" aria-labelledby="referrals-returned-title" data-testid="referrals-returned">
          <h2 class="govuk-heading-m" id="referrals-returned-title">
            {plural(returned.length, 'A referral came back', 'Referrals came back')}
          </h2>
          <div class="govuk-warning-text">
            <span class="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong class="govuk-warning-text__text">
              <span class="govuk-visually-hidden">Warning</span>
              The other team could not open {plural(returned.length, 'this case', 'these cases')}, so {plural(returned.length, 'it is', 'they are')} still
              with your team. Check who referred {plural(returned.length, 'it', 'them')} and refer again if needed.
            </strong>
          </div>
          <ul class="govuk-list">
            {returned.map((r) => (
              <li key={r.caseRef}>
                <a class="govuk-link" href={caseHref(r)}>
                  {r.caseRef}
                </a>{' '}
                to {r.to.label}: {REASON_WORDS[r.reason]} did not open ({formatDay(r.on)}).{' '}
                <Button type="button" variant="secondary" classes="govuk-!-margin-bottom-0 govuk-!-margin-left-2" onClick={() => void dismiss(r.caseRef)}>
                  Dismiss<span class="govuk-visually-hidden"> {r.caseRef}</span>
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {incoming.length > 0 && (
        <section class="govuk-!-margin-bottom-6" aria-labelledby="referrals-incoming-title" data-testid="referrals-incoming">
          <h2 class="govuk-heading-m" id="referrals-incoming-title">
            {plural(incoming.length, 'Referral waiting for you', 'Referrals waiting for you')}
          </h2>
          <p class="govuk-body">Open a case to check it reaches you. It then moves to your team and leaves the team that referred it.</p>
          <ul class="govuk-list">
            {incoming.map((r) => (
              <li key={r.caseRef}>
                <a class="govuk-link" href={caseHref(r)}>
                  {r.caseRef}
                </a>{' '}
                from {r.from.label}, referred on {formatDay(r.on)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {outgoing.length > 0 && (
        <section class="govuk-!-margin-bottom-6" aria-labelledby="referrals-outgoing-title" data-testid="referrals-outgoing">
          <h2 class="govuk-heading-m" id="referrals-outgoing-title">
            Waiting for another team to confirm
          </h2>
          <ul class="govuk-list">
            {outgoing.map((r) => (
              <li key={r.caseRef}>
                <a class="govuk-link" href={caseHref(r)}>
                  {r.caseRef}
                </a>{' '}
                to {r.to.label}, referred on {formatDay(r.on)}{' '}
                {r.overdue && <strong class="govuk-tag govuk-tag--red">Not confirmed after {REFERRAL_STALE_DAYS} days</strong>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
