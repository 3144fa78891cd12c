import { InsetText, StartButton, WarningText } from '../components/Simple.tsx';
import { usePage } from '../page.ts';

/** What a private record is, who can see it (no one), and what losing the token means. */
export function AboutPage() {
  usePage('Keep a private record', { back: '/' });
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <h1 class="govuk-heading-xl">Keep a private record</h1>
        <p class="govuk-body">
          You can write down what is happening to you without making a report. You can add to it over time and decide later
          whether to send it to a team.
        </p>
        <p class="govuk-body">For each thing that happens, you can write down:</p>
        <ul class="govuk-list govuk-list--bullet">
          <li>what happened</li>
          <li>when and where it happened</li>
          <li>who was there</li>
          <li>who did it, for example their name, collar number or role</li>
          <li>photos or documents that show it (we remove hidden details, such as where a photo was taken, before they are sent)</li>
        </ul>
        <p class="govuk-body">
          Each entry shows the date we received it. We keep the day only, not the time. We give you a receipt for each entry and each
          file, so you can show later that it was received on that day and has not been changed.
        </p>

        <StartButton href="/record/new">Start a record</StartButton>
        <p class="govuk-body">
          <a class="govuk-link" href="/record/open">
            I already have a record token
          </a>
        </p>

        <h2 class="govuk-heading-m">Who can see your record</h2>
        <p class="govuk-body">No one but you.</p>
        <p class="govuk-body">
          Your record is locked (encrypted) in your browser with a key that only your record token opens. The teams that deal with
          concerns cannot read it. The people who run this website cannot read it. There is no spare key.
        </p>
        <p class="govuk-body">
          A team can only read it if you choose to turn it into a report. You choose which concern it is about and so which team
          it goes to. Your entries keep their original dates.
        </p>

        <h2 class="govuk-heading-m">If you lose your record token</h2>
        <WarningText>
          Nobody can get your record token back for you, not even us. Without it, no one can open your record again.
        </WarningText>
        <p class="govuk-body">
          If you lose it, you can start a new record. The old one stays locked until it is deleted.
        </p>
        <InsetText>Keep your record token private. Anyone who has it can read your record, add to it or delete it.</InsetText>

        <h2 class="govuk-heading-m">Deleting your record</h2>
        <p class="govuk-body">
          You can delete your record at any time. Everything in it is removed from our systems straight away and cannot be brought
          back.
        </p>
        <p class="govuk-body">
          The force may also set a period after which a record with no new entries is deleted. If it has, your record shows the date
          it will be deleted. Adding an entry moves that date on.
        </p>
      </div>
    </div>
  );
}
