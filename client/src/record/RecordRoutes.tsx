// The private record's pages (/record/...), one chunk. Pages that need the open record
// show the token form in their place when none is open (a reload forgets it on purpose).
import { useStore } from '../store.ts';
import { AboutPage } from './AboutPage.tsx';
import { AddEntryPage } from './AddEntryPage.tsx';
import { DeletedPage, DeletePage } from './DeletePage.tsx';
import { NewRecordPage } from './NewRecordPage.tsx';
import { OpenPage } from './OpenPage.tsx';
import { ClosedPage, RecordPage } from './RecordPage.tsx';
import { ReportPage, SentPage } from './ReportPage.tsx';
import { recordStore } from './session.ts';

export function RecordRoutes({ path }: { path: string }) {
  const open = useStore(recordStore);
  switch (path) {
    case '/record':
      return <AboutPage />;
    case '/record/new':
      return <NewRecordPage />;
    case '/record/open':
      return <OpenPage />;
    case '/record/closed':
      return <ClosedPage />;
    case '/record/deleted':
      return <DeletedPage />;
    case '/record/sent':
      return <SentPage />;
  }
  const needsRecord: Record<string, (o: NonNullable<typeof open>) => preact.JSX.Element> = {
    '/record/entries': (o) => <RecordPage open={o} />,
    '/record/add': (o) => <AddEntryPage open={o} />,
    '/record/delete': (o) => <DeletePage open={o} />,
    '/record/report': (o) => <ReportPage open={o} />,
  };
  const page = needsRecord[path];
  if (!page) return <NotFound />;
  return open ? page(open) : <OpenPage then={path} />;
}

function NotFound() {
  return (
    <>
      <h1 class="govuk-heading-l">Page not found</h1>
      <p class="govuk-body">
        <a class="govuk-link" href="/record">Go to your record</a>
      </p>
    </>
  );
}
