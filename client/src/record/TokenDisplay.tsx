import { Fragment } from 'preact';
import { spellOut } from '../reporter/TokenPage.tsx';

/** The record token in groups, with a spelled-out copy for screen readers. */
export function RecordTokenText({ display }: { display: string }) {
  const groups = display.split('-');
  return (
    <>
      <p class="govuk-visually-hidden">Your record token, one character at a time: {spellOut(display)}.</p>
      <p class="app-token" data-testid="record-token">
        {groups.map((g, i) => (
          <Fragment key={i}>
            <span class="app-token__group">{g}</span>
            {i < groups.length - 1 && (
              <>
                <span aria-hidden="true">-</span>
                <wbr />
              </>
            )}
          </Fragment>
        ))}
      </p>
    </>
  );
}
