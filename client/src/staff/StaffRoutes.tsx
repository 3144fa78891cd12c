// The staff pages under /triage, but for sign-in (its own small chunk, see
// app.tsx). One lazily loaded chunk (with its own CSS); the crypto is a further
// chunk, fetched while the officer types on the sign-in page.
import './staff.scss';
import { useEffect } from 'preact/hooks';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { useStore } from '../store.ts';
import { adminPage } from './admin/AdminRoutes.tsx';
import { EnrolPage } from './EnrolPage.tsx';
import { OversightPage } from './OversightPage.tsx';
import { NotificationsPage } from './NotificationsPage.tsx';
import { homeFor, sessionStore, type StaffSession } from './session.ts';
import { UnlockGate } from './UnlockPage.tsx';
import { StaffBar } from './StaffBar.tsx';
import { FailedSignIns } from './FailedSignIns.tsx';
import { InboxPage } from '../triage/InboxPage.tsx';
import { TriageCasePage } from '../triage/TriageCasePage.tsx';
import { TeamKeysPage } from '../triage/TeamKeysPage.tsx';

function NoAccess({ session }: { session: StaffSession }) {
  usePage('You do not have access to this page');
  return (
    <>
      <h1 class="govuk-heading-l">You do not have access to this page</h1>
      <p class="govuk-body">
        <a class="govuk-link" href={homeFor(session.staff.role)}>
          Go to your start page
        </a>
      </p>
    </>
  );
}

export function StaffRoutes({ path }: { path: string }) {
  const session = useStore(sessionStore);
  if (path === '/triage/enrol') return <EnrolPage />;
  // The private key is only ever in memory: after a reload, a live session is unlocked with the passphrase alone.
  if (!session) return <UnlockGate />;

  const role = session.staff.role;
  const caseWork = (role === 'triage' || role === 'lead') && session.keyPair !== null;
  let page;
  const caseMatch = /^\/triage\/case\/([^/]+)$/.exec(path);
  if (path === '/triage') page = caseWork ? <InboxPage session={session} /> : <NoAccess session={session} />;
  else if (caseMatch?.[1]) page = caseWork ? <TriageCasePage session={session} caseRef={decodeURIComponent(caseMatch[1])} /> : <NoAccess session={session} />;
  else if (path === '/triage/oversight') page = role === 'oversight' ? <OversightPage /> : <NoAccess session={session} />;
  else if (path === '/triage/admin' || path.startsWith('/triage/admin/')) {
    page = (role === 'admin' ? adminPage(path, session.staff.id) : null) ?? <NoAccess session={session} />;
  }
  else if (path === '/triage/keys') page = caseWork ? <TeamKeysPage session={session} /> : <NoAccess session={session} />;
  else if (path === '/triage/notifications') page = role === 'triage' || role === 'lead' ? <NotificationsPage /> : <NoAccess session={session} />;
  else page = <NoAccess session={session} />;
  return (
    <>
      <StaffBar session={session} />
      <FailedSignIns />
      {page}
    </>
  );
}
