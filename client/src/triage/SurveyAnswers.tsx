// The reporter's answers to "did you feel listened to?", for the team only.
// The optional comment was sealed in the reporter's browser under the case key
// (record kind rc1/survey) and is opened here.
import { useEffect, useState } from 'preact/hooks';
import type { StaffInvitationView } from '../../../shared/src/api/trail.ts';
import { SCALE_WORDS, SURVEY_QUESTIONS } from '../../../shared/src/domain/trail.ts';
import { SummaryList } from '../components/Simple.tsx';
import { formatDay } from '../reporter/words.ts';
import { loadStaffCrypto } from '../staff/crypto.ts';
import type { OpenedStaffCase } from './opened.ts';

const scale = (n: number): string => `${SCALE_WORDS[n - 1] ?? n} (${n} of 5)`;
const asked = (i: StaffInvitationView): string => (i.kind === 'closed' ? `Asked when the case closed on ${formatDay(i.on)}` : `Asked after three months open, on ${formatDay(i.on)}`);

export function SurveyAnswers({ opened }: { opened: OpenedStaffCase }) {
  const survey = opened.detail.survey ?? [];
  const [comments, setComments] = useState<Record<string, string | null>>({});
  useEffect(() => {
    let live = true;
    void loadStaffCrypto().then(({ rc1 }) => {
      const out: Record<string, string | null> = {};
      for (const i of survey) if (i.answer?.comment) out[i.invitation] = rc1.openSurveyComment(opened.caseKey, opened.reporterPk, i.answer.id, i.answer.comment);
      if (live) setComments(out);
    });
    return () => { live = false; };
  }, [opened]);
  if (survey.length === 0) return null;
  return (
    <section aria-labelledby="survey-answers-heading" data-testid="survey-answers">
      <h2 class="govuk-heading-m" id="survey-answers-heading">
        Did the reporter feel listened to?
      </h2>
      <p class="govuk-body-s">Only your team sees these answers. Oversight sees only totals, and only for groups of 5 or more.</p>
      {survey.map((i) => (
        <div key={i.invitation}>
          <h3 class="govuk-heading-s">{asked(i)}</h3>
          {i.answer === null ? (
            <p class="govuk-body">The reporter has not answered.</p>
          ) : (
            <SummaryList
              rows={[
                { key: 'Answered', value: formatDay(i.answer.on) },
                { key: SURVEY_QUESTIONS.listened, value: scale(i.answer.listened) },
                { key: SURVEY_QUESTIONS.supported, value: scale(i.answer.supported) },
                {
                  key: 'Comment',
                  value: !i.answer.comment ? 'No comment' : comments[i.invitation] === undefined ? 'Opening…' : (comments[i.invitation] ?? 'This comment could not be opened.'),
                },
              ]}
            />
          )}
        </div>
      ))}
    </section>
  );
}
