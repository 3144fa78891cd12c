// The triage case page's share of issue #14: an advice request shows as one (its question, its
// reply clock, no category), a report that began as advice says so, a welfare request is
// flagged, and staff record that support was offered. Mounted by CaseView and CaseActions.
import { Button, InsetText, Tag } from '../components/Simple.tsx';
import { formatDay } from '../reporter/words.ts';
import { staffApi } from '../staff/api.ts';
import type { OpenedStaffCase } from './opened.ts';
import { ActionForm, useAction, type ActionProps } from './actions/common.tsx';

/** Above the report: the advice question, and what kind of thing this is. */
export function AdviceQuestion({ opened }: { opened: OpenedStaffCase }) {
  const d = opened.detail;
  if (!d.advice) return null;
  return (
    <section aria-labelledby="advice-heading" data-testid="advice-section">
      <h2 class="govuk-heading-m" id="advice-heading">
        {d.kind === 'advice' ? 'Advice request' : 'Began as an advice request'}
      </h2>
      {d.kind === 'advice' ? (
        <InsetText>
          The reporter asked for advice before making a report. This is not a case: it has no status, assessment or outcome. Answer
          them in a message{d.adviceDue ? ` by ${formatDay(d.adviceDue)}` : ''}. They can turn it into a report at any time.
        </InsetText>
      ) : (
        d.convertedOn && (
          <InsetText>
            <span data-testid="began-as-advice">
              This report began as an advice request received on {formatDay(d.receivedOn)}. The reporter turned it into a report on{' '}
              {formatDay(d.convertedOn)}.
            </span>
          </InsetText>
        )
      )}
      <h3 class="govuk-heading-s">Their question</h3>
      <p class="govuk-body app-message" data-testid="advice-question">
        {opened.advice?.question ?? 'The question could not be opened.'}
      </p>
    </section>
  );
}

/** In the summary: a tag for an advice request and a flag for an open welfare request. */
export function KindTags({ opened }: { opened: OpenedStaffCase }) {
  const d = opened.detail;
  return (
    <>
      {d.kind === 'advice' && <Tag colour="purple">Advice</Tag>}
      {d.welfare.requestedOn && (
        <strong class="govuk-tag govuk-tag--orange govuk-!-margin-left-1" data-testid="welfare-flag">
          Welfare contact asked for
        </strong>
      )}
    </>
  );
}

/** History lines the status history does not hold: the conversion and support offered. */
export function AdviceHistory({ opened }: { opened: OpenedStaffCase }) {
  const d = opened.detail;
  return (
    <>
      {d.convertedOn && <li>{formatDay(d.convertedOn)}: Turned from an advice request into a report by the reporter</li>}
      {d.welfare.requestedOn && <li>{formatDay(d.welfare.requestedOn)}: The reporter asked for a welfare contact</li>}
      {d.welfare.offeredOn && <li>{formatDay(d.welfare.offeredOn)}: Support offered to the reporter</li>}
    </>
  );
}

/** Record that support was offered: always available; highlighted while a welfare request is open. */
export function SupportOfferedForm({ opened, onDone, onErrors }: ActionProps) {
  const d = opened.detail;
  const a = useAction('support-offered', onErrors);
  const submit = () =>
    a.run(() => [], 'Recording…', async () => {
      await staffApi.supportOffered(d.caseRef);
      await onDone('You recorded that support was offered to the reporter.');
    });
  return (
    <ActionForm id="support-form" title="Welfare and support" busy={a.busy} onSubmit={submit}>
      {d.welfare.requestedOn ? (
        <p class="govuk-body">
          <strong>The reporter asked for a welfare contact on {formatDay(d.welfare.requestedOn)}.</strong> Offer them one in a message,
          then record it here.
        </p>
      ) : (
        <p class="govuk-body">
          {d.welfare.offeredOn ? `Support was last offered on ${formatDay(d.welfare.offeredOn)}. ` : ''}Record when you offer the reporter
          support (a welfare officer, staff association, network or helpline).
        </p>
      )}
      <Button variant="secondary" id="support-offered">
        Record that support was offered
      </Button>
    </ActionForm>
  );
}
