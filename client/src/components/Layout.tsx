import type { ComponentChildren } from 'preact';
import { ExitThisPage, EXIT_URL } from './ExitThisPage.tsx';

function focusMain(e: MouseEvent) {
  const main = document.getElementById('main-content');
  if (!main) return;
  e.preventDefault();
  main.focus();
}

export function Header({ staff = false }: { staff?: boolean }) {
  return (
    <div class="govuk-generic-header">
      <div class="govuk-generic-header__container govuk-width-container">
        <div class="govuk-generic-header__logo">
          <a href={staff ? '/triage' : '/'} class="govuk-generic-header__homepage-link">
            {staff ? 'Raise a concern: Professional Standards' : 'Raise a concern'}
          </a>
        </div>
      </div>
    </div>
  );
}

/** GOV.UK footer shell: a hidden heading, then what this audience needs to know. */
function FooterShell({ children }: { children: ComponentChildren }) {
  return (
    <footer class="govuk-footer">
      <div class="govuk-width-container">
        <div class="govuk-footer__meta">
          <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <h2 class="govuk-visually-hidden">About this service</h2>
            {children}
          </div>
        </div>
      </div>
    </footer>
  );
}

/** Staff pages sign in with a session cookie, so the reporter footer's promises do not apply to them. */
function StaffFooter() {
  return (
    <FooterShell>
      <p class="govuk-body-s govuk-footer__meta-custom">
        Staff area for Professional Standards. Every case you open, and every change you make, is recorded in the audit log.
      </p>
    </FooterShell>
  );
}

export function Footer() {
  return (
    <FooterShell>
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
        <li class="govuk-footer__inline-list-item">
          <a class="govuk-footer__link" href="/receipt">
            Check a receipt
          </a>
        </li>
      </ul>
      <p class="govuk-body-s govuk-footer__meta-custom">
        This service sets no cookies and does not keep your IP address. Your report is locked in your browser before it is sent.
      </p>
    </FooterShell>
  );
}

interface LayoutProps {
  children: ComponentChildren;
  beforeMain?: ComponentChildren;
  /** Staff pages: no quick exit (it would discard the unlocked key mid-task) and a staff footer. */
  staff?: boolean;
}

export function Layout({ children, beforeMain, staff = false }: LayoutProps) {
  return (
    <>
      {/* Skip links sit inside the banner landmark so no content is outside a landmark. */}
      <header>
        {!staff && (
          <a href={EXIT_URL} class="govuk-skip-link govuk-js-exit-this-page-skiplink" rel="nofollow noreferrer">
            Exit this page
          </a>
        )}
        <a href="#main-content" class="govuk-skip-link" onClick={focusMain}>
          Skip to main content
        </a>
        <Header staff={staff} />
      </header>
      <div class="govuk-width-container">
        {!staff && <ExitThisPage />}
        {beforeMain && <nav aria-label="Back">{beforeMain}</nav>}
        <main class="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          {children}
        </main>
      </div>
      {staff ? <StaffFooter /> : <Footer />}
    </>
  );
}
