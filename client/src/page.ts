import { useEffect, useLayoutEffect } from 'preact/hooks';
import { navigationCount } from './router.ts';
import { createStore } from './store.ts';

const SERVICE = 'Raise a concern';

/** The Back link above <main>, set by the page that is showing. */
export const backLinkStore = createStore<string | null>(null);

/**
 * Every page calls this once: it sets the <title> ("Error: " first while a
 * form shows errors, as GOV.UK asks), the Back link, and on arrival after an
 * in-app navigation moves focus to the <h1> so screen readers announce the page.
 */
export function usePage(title: string, opts: { hasErrors?: boolean; back?: string | null } = {}): void {
  const hasErrors = opts.hasErrors ?? false;
  const back = opts.back ?? null;
  // A layout effect: the title says "Error:" in the same commit that shows the error summary, before the
  // summary takes focus (an effect can wait for a frame, and a screen reader would read the old title).
  useLayoutEffect(() => {
    document.title = `${hasErrors ? 'Error: ' : ''}${title} – ${SERVICE}`;
  }, [title, hasErrors]);
  useEffect(() => {
    backLinkStore.set(back);
  }, [back]);
  useEffect(() => {
    if (navigationCount() > 0) focusHeading();
  }, []);
}

/** Moves focus to the page's <h1>. */
export function focusHeading(): void {
  const h1 = document.querySelector<HTMLElement>('main h1');
  if (!h1) return;
  if (!h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
  h1.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}
