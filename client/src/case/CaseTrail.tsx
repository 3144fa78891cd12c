// The case trail as a timeline (an ordered list, oldest first, each step to the
// day) and the two promises with whether each was kept. Shown to the reporter on
// the follow-up page and to staff on the triage case page; only staff pages pass
// `by` (who acted).
import { ACKNOWLEDGE_WITHIN, FEEDBACK_WITHIN, todayInLondon, type DueDates } from '../../../shared/src/domain/clock.ts';
import { promises } from '../../../shared/src/domain/trail.ts';
import { Tag } from '../components/Simple.tsx';
import { formatDay } from '../reporter/words.ts';
import { promiseWords, stepTitle, type TrailStep } from './trailWords.ts';

interface Props {
  steps: TrailStep[];
  outcome?: string | undefined;
  due: DueDates;
  /** 'reporter' speaks to the reporter ("your report"); 'staff' about them. */
  audience: 'reporter' | 'staff';
  today?: string;
}

export function CaseTrail({ steps, outcome, due, audience, today = todayInLondon() }: Props) {
  const lastClosed = steps.map((s) => s.status).lastIndexOf('closed');
  const p = promises(steps, due, today);
  const ack = promiseWords(p.acknowledge, 'Acknowledged');
  const fed = promiseWords(p.feedback, 'Feedback given');
  const reporter = audience === 'reporter';
  return (
    <>
      <h2 class="govuk-heading-m" id="trail-heading">
        {reporter ? 'What has happened so far' : 'Case trail'}
      </h2>
      <ol class="app-timeline" aria-labelledby="trail-heading" data-testid="trail">
        {steps.map((s, i) => (
          <li class="app-timeline__item" key={i}>
            <h3 class="govuk-heading-s app-timeline__title">
              {stepTitle(s, i > 0 && steps[i - 1]!.status === 'closed', i === lastClosed ? outcome : undefined)}
            </h3>
            <p class="govuk-body-s app-timeline__date">
              <time dateTime={s.on}>{formatDay(s.on)}</time>
              {s.by && <span data-testid="trail-by">, by {s.by}</span>}
            </p>
          </li>
        ))}
      </ol>
      <h2 class="govuk-heading-m">{reporter ? 'What we promised you' : 'Promises to the reporter'}</h2>
      <dl class="govuk-summary-list" data-testid="promises">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{reporter ? `Acknowledge your report within ${ACKNOWLEDGE_WITHIN}` : `Acknowledged within ${ACKNOWLEDGE_WITHIN}`}</dt>
          <dd class="govuk-summary-list__value" data-testid="promise-acknowledge">
            <Tag colour={ack.colour}>{ack.tag}</Tag> <span class="govuk-body-s">{ack.detail}</span>
          </dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">{reporter ? `Tell you what we are doing within ${FEEDBACK_WITHIN}` : `Feedback within ${FEEDBACK_WITHIN}`}</dt>
          <dd class="govuk-summary-list__value" data-testid="promise-feedback">
            <Tag colour={fed.colour}>{fed.tag}</Tag> <span class="govuk-body-s">{fed.detail}</span>
          </dd>
        </div>
      </dl>
    </>
  );
}
