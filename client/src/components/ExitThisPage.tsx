// GOV.UK "Exit this page": the button, and Shift pressed three times. We
// subclass govuk-frontend's component so leaving *replaces* this page
// (location.replace), wipes what is held in memory and clears the screen
// first, so the Back button does not bring a report back into view.
import { ExitThisPage as GovukExitThisPage } from 'govuk-frontend';
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { forgetEverything, markExited } from '../memory.ts';

export const EXIT_URL = 'https://www.bbc.co.uk/weather';

export function leaveNow(): void {
  markExited();
  forgetEverything();
  const app = document.getElementById('app');
  // Synchronously empties the rendered page, so a restored back/forward cache copy shows nothing.
  if (app) render(null, app);
  window.location.replace(EXIT_URL);
}

class ReplacingExitThisPage extends GovukExitThisPage {
  override exitPage(): void {
    document.body.classList.add('govuk-exit-this-page-hide-content');
    // As govuk-frontend does: tell screen reader users something is happening.
    const overlay = document.createElement('div');
    overlay.className = 'govuk-exit-this-page-overlay';
    overlay.setAttribute('role', 'alert');
    overlay.textContent = 'Loading.';
    document.body.appendChild(overlay);
    leaveNow();
  }
}

let started = false;

export function ExitThisPage() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // One instance for the life of the page: its Shift listener is global.
    if (started || !ref.current) return;
    started = true;
    new ReplacingExitThisPage(ref.current);
  }, []);
  return (
    <div class="govuk-exit-this-page" data-module="govuk-exit-this-page" ref={ref}>
      <a
        href={EXIT_URL}
        role="button"
        draggable={false}
        class="govuk-button govuk-button--warning govuk-exit-this-page__button govuk-js-exit-this-page-button"
        data-module="govuk-button"
        rel="nofollow noreferrer"
      >
        <span class="govuk-visually-hidden">Emergency</span> Exit this page
      </a>
    </div>
  );
}
