import { lazy, Suspense } from 'preact/compat';
import { Layout } from './components/Layout.tsx';
import { BackLink } from './components/Simple.tsx';
import { backLinkStore, usePage } from './page.ts';
import { useLocation } from './router.ts';
import { useStore } from './store.ts';
import { StartPage } from './reporter/StartPage.tsx';

// The journey and the case page are separate chunks: the start page must load fast on a phone.
const ReportRoutes = lazy(() => import('./reporter/ReportRoutes.tsx').then((m) => m.ReportRoutes));
const CasePage = lazy(() => import('./case/CasePage.tsx').then((m) => m.CasePage));
const StaffRoutes = lazy(() => import('./staff/StaffRoutes.tsx').then((m) => m.StaffRoutes));

function NotFound() {
  usePage('Page not found');
  return (
    <>
      <h1 class="govuk-heading-l">Page not found</h1>
      <p class="govuk-body">If you typed the web address, check it is correct.</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/">
          Go to the start page
        </a>
      </p>
    </>
  );
}

function Loading() {
  return (
    <p class="govuk-body" role="status">
      Loading…
    </p>
  );
}

export function App() {
  const { path, query } = useLocation();
  const back = useStore(backLinkStore);

  const staff = path === '/triage' || path.startsWith('/triage/');
  let page;
  if (path === '/') page = <StartPage />;
  else if (path === '/case') page = <CasePage />;
  else if (path.startsWith('/report/')) page = <ReportRoutes path={path} query={query} />;
  else if (staff) page = <StaffRoutes path={path} />;
  else page = <NotFound />;

  return (
    <Layout staff={staff} beforeMain={back ? <BackLink href={back} /> : null}>
      {/* Keyed by path so each page mounts fresh (title, focus, errors). */}
      <Suspense key={path} fallback={<Loading />}>
        {page}
      </Suspense>
    </Layout>
  );
}
