import type { ComponentChildren } from 'preact';
import { ExitThisPage, EXIT_URL } from './ExitThisPage.tsx';

function focusMain(e: MouseEvent) {
  const main = document.getElementById('main-content');
  if (!main) return;
  e.preventDefault();
  main.focus();
}

export function Header() {
  return (
    <div class="govuk-generic-header">
      <div class="govuk-generic-header__container govuk-width-container">
        <div class="govuk-generic-header__logo">
          <a href="/" class="govuk-generic-header__homepage-link">
            Raise a concern
          </a>
        </div>
      </div>
    </div>
  );
}

export function Footer() {
  return (
    <footer class="govuk-footer">
      <div class="govuk-width-container">
        <div class="govuk-footer__meta">
          <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <h2 class="govuk-visually-hidden">About this service</h2>
            <ul class="govuk-footer__inline-list">
              <li class="govuk-footer__inline-list-item">
                <a class="govuk-footer__link" href="/">
                  Raise a concern
                </a>
              </li>
              <li class="govuk-footer__inline-list-item">
                <a class="govuk-footer__link" href="/case">
                  Check a case you have already reported
                </a>
              </li>
            </ul>
            <p class="govuk-body-s govuk-footer__meta-custom">
              This service sets no cookies and does not keep your IP address. Your report is locked in your browser before it is sent.
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}

export function Layout({ children, beforeMain }: { children: ComponentChildren; beforeMain?: ComponentChildren }) {
  return (
    <>
      {/* Skip links sit inside the banner landmark so no content is outside a landmark. */}
      <header>
        <a href={EXIT_URL} class="govuk-skip-link govuk-js-exit-this-page-skiplink" rel="nofollow noreferrer">
          Exit this page
        </a>
        <a href="#main-content" class="govuk-skip-link" onClick={focusMain}>
          Skip to main content
        </a>
        <Header />
      </header>
      <div class="govuk-width-container">
        <ExitThisPage />
        {beforeMain && <nav aria-label="Back">{beforeMain}</nav>}
        <main class="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          {children}
        </main>
      </div>
      <Footer />
    </>
  );
}
