import { Fragment, h, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Layout } from './components/Layout.tsx';
import { BackLink } from './components/Simple.tsx';
import { backLinkStore, usePage } from './page.ts';
import { useLocation } from './router.ts';
import { useStore } from './store.ts';
import { StartPage } from './reporter/StartPage.tsx';
import { loadStaffRoutes } from './staff/chunks.ts';

/**
 * A page in its own chunk, loaded on first use. (Not preact/compat's lazy +
 * Suspense: under load its fallback could stay on screen for good when the
 * boundary re-rendered while the chunk was on its way.) A chunk that fails to
 * download (a flaky phone signal) gets a "Try again" rather than a blank page.
 */
function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const get = () =>
    (pending ??= load().then(
      (c) => (loaded = c),
      (e: unknown) => {
        pending = null;
        throw e;
      },
    ));
  return function LazyPage(props: P) {
    const [state, setState] = useState<'loading' | 'failed' | 'ready'>(loaded ? 'ready' : 'loading');
    useEffect(() => {
      if (state !== 'loading') return;
      let live = true;
      get().then(
        () => live && setState('ready'),
        () => live && setState('failed'),
      );
      return () => {
        live = false;
      };
    }, [state]);
    if (loaded) return h(loaded, props);
    if (state === 'failed') return <ChunkFailed retry={() => setState('loading')} />;
    return <Loading />;
  };
}

// The journey and the case page are separate chunks: the start page must load fast on a phone.
const ReportRoutes = lazyPage(() => import('./reporter/ReportRoutes.tsx').then((m) => m.ReportRoutes));
const AdvicePage = lazyPage(() => import('./advice/AdvicePage.tsx').then((m) => m.AdvicePage));
const FollowUpPage = lazyPage(() => import('./case/FollowUpPage.tsx').then((m) => m.FollowUpPage));
const RecordRoutes = lazyPage(() => import('./record/RecordRoutes.tsx').then((m) => m.RecordRoutes));
const StaffRoutes = lazyPage(loadStaffRoutes);
const CheckReceiptPage = lazyPage(() => import('./receipt/CheckReceiptPage.tsx').then((m) => m.CheckReceiptPage));
// The staff sign-in form is a small chunk of its own: on a phone it must paint
// without waiting for the staff workspace (inbox, case, admin, staff.scss) or
// the crypto, which it fetches once the officer starts on the form.
const SignInPage = lazyPage(() => import('./staff/SignInPage.tsx').then((m) => m.SignInPage));

function ChunkFailed({ retry }: { retry: () => void }) {
  usePage('Sorry, there is a problem with the service');
  return (
    <>
      <h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>
      <p class="govuk-body">This page did not load. Check your internet connection and try again.</p>
      <button type="button" class="govuk-button" data-module="govuk-button" onClick={retry}>
        Try again
      </button>
    </>
  );
}

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

/**
 * While a page's chunk is on its way. It holds a screen's height, so the footer
 * starts below the fold and the page arriving moves nothing in view (on a slow
 * phone the footer used to jump down: a layout shift of 0.13).
 */
function Loading() {
  return (
    <div class="app-loading">
      <p class="govuk-body" role="status">
        Loading…
      </p>
    </div>
  );
}

export function App() {
  const { path, query } = useLocation();
  const back = useStore(backLinkStore);

  const staff = path === '/triage' || path.startsWith('/triage/');
  let page;
  if (path === '/') page = <StartPage />;
  else if (path === '/case') page = <FollowUpPage />;
  else if (path === '/receipt') page = <CheckReceiptPage />;
  else if (path === '/advice') page = <AdvicePage />;
  else if (path.startsWith('/report/')) page = <ReportRoutes path={path} query={query} />;
  else if (path === '/record' || path.startsWith('/record/')) page = <RecordRoutes path={path} />;
  else if (path === '/triage/sign-in') page = <SignInPage />;
  else if (staff) page = <StaffRoutes path={path} />;
  else page = <NotFound />;

  return (
    <Layout staff={staff} beforeMain={back ? <BackLink href={back} /> : null}>
      {/* Keyed by path so each page mounts fresh (title, focus, errors). */}
      <Fragment key={path}>{page}</Fragment>
    </Layout>
  );
}
