import { Details, InsetText, StartButton, WarningText } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { ACKNOWLEDGE_WITHIN, FEEDBACK_WITHIN } from '../../../shared/src/domain/clock.ts';

export function StartPage() {
  usePage('Raise a concern about someone in your force');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <h1 class="govuk-heading-xl">Raise a concern about someone in your force</h1>
        <p class="govuk-body">
          Use this service to tell us about behaviour by police officers or police staff that worries you. You can do this
          anonymously.
        </p>
        <p class="govuk-body">You can report:</p>
        <ul class="govuk-list govuk-list--bullet">
          <li>sexual harassment or sexual misconduct</li>
          <li>bullying</li>
          <li>racism, misogyny, homophobia or other discrimination</li>
          <li>corruption, or someone abusing their position</li>
          <li>misuse of social media or messaging groups</li>
          <li>domestic abuse by a colleague</li>
          <li>being treated badly because you or someone else spoke up</li>
          <li>any other misconduct</li>
        </ul>
        <p class="govuk-body">
          You do not need proof. It is enough that you honestly believe something is wrong.
        </p>

        <StartButton href="/report/category">Start now</StartButton>

        <p class="govuk-body">
          <a class="govuk-link" href="/case">
            I already have a case token
          </a>
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href="/receipt">
            Check a receipt
          </a>
        </p>

        <h2 class="govuk-heading-m">Not ready to report?</h2>
        <p class="govuk-body">
          You can{' '}
          <a class="govuk-link" href="/record">
            keep a private record
          </a>{' '}
          of what is happening. Only you can read it. You can add to it over time and decide later whether to send it to a team.
        </p>

        <h2 class="govuk-heading-m">Not sure yet?</h2>
        <p class="govuk-body">
          You can{' '}
          <a class="govuk-link" href="/advice">
            ask for advice before you report
          </a>
          , for example whether something is serious enough, or what would happen if you reported it. It does not start a case.
        </p>

        <h2 class="govuk-heading-m">Who will read your report</h2>
        <p class="govuk-body">
          Your report goes to the Professional Standards Unit for the command it is about, or to a central Directorate of
          Professional Standards team. Some concerns, such as sexual misconduct, domestic abuse and corruption, always go to a
          central team.
        </p>
        <p class="govuk-body">
          It does not go to your line manager. You can choose not to send it to your own unit’s Professional Standards Unit.
        </p>

        <h2 class="govuk-heading-m">What we can and cannot see</h2>
        <p class="govuk-body">
          Your report is locked (encrypted) in your browser before it is sent. The people who run this website cannot read
          what you write or see who you are. Only the team your report goes to can unlock it.
        </p>
        <p class="govuk-body">We keep dates to the day only, not the time you used the service.</p>

        <h2 class="govuk-heading-m">Staying anonymous</h2>
        <p class="govuk-body">You can choose to give your name or stay anonymous.</p>
        <ul class="govuk-list govuk-list--bullet">
          <li>Details in what you write may show who you are, for example if only you were there.</li>
          <li>If you are worried, use a personal phone or computer that is not on the force network.</li>
          <li>A private or incognito browser window leaves less on the device.</li>
          <li>This service does not use cookies.</li>
        </ul>
        <WarningText>
          If someone may be watching your screen, use the Exit this page button. You can also press the Shift key 3 times.
        </WarningText>

        <h2 class="govuk-heading-m">What happens next</h2>
        <p class="govuk-body">When you send your report, you get a case token. Keep it safe and private.</p>
        <ul class="govuk-list govuk-list--bullet">
          <li>The team will confirm they have your report within {ACKNOWLEDGE_WITHIN}.</li>
          <li>They will tell you what they are doing about it within {FEEDBACK_WITHIN}.</li>
          <li>You can use your case token to read and send messages to the team.</li>
          <li>You also get a signed receipt showing the day we received your report. Keep it as safe as your case token.</li>
        </ul>
        <InsetText>Nobody can get your case token back for you if you lose it, not even us.</InsetText>

        <h2 class="govuk-heading-m">Other ways to raise a concern</h2>
        <p class="govuk-body">You can also speak to:</p>
        <ul class="govuk-list govuk-list--bullet">
          <li>your line manager or another supervisor you trust</li>
          <li>your staff association or a staff support network</li>
          <li>welfare or occupational health</li>
          <li>the Independent Office for Police Conduct (IOPC)</li>
          <li>the independent charity’s confidential line for reporting police corruption and abuse</li>
        </ul>
        <Details summary="If you or someone else is in danger">
          <p class="govuk-body">
            This service is not for emergencies. If someone is in immediate danger, call 999.
          </p>
        </Details>
      </div>
    </div>
  );
}
