import { render } from 'preact';
import './styles/app.scss';
import { App } from './app.tsx';
import { hasExited } from './memory.ts';
import { handleLinkClick } from './router.ts';
import { EXIT_URL } from './components/ExitThisPage.tsx';

// govuk-frontend components refuse to start unless this class is present; the
// usual inline <script> that sets it is blocked by our Content-Security-Policy.
document.body.classList.add('js-enabled', 'govuk-frontend-supported');

document.addEventListener('click', handleLinkClick);

// If someone presses Back after "Exit this page" and the browser restores this
// page from its back/forward cache, leave again straight away.
window.addEventListener('pageshow', (e) => {
  if (e.persisted && hasExited()) window.location.replace(EXIT_URL);
});

const root = document.getElementById('app');
if (root) render(<App />, root);
