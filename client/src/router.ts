// A tiny history-API router. Paths only: the case token never goes into a URL.
//
// The portal occupies ONE entry in the browser's history: every in-app
// navigation *replaces* the current entry (history.replaceState) instead of
// pushing a new one. "Exit this page" then replaces that single entry, so
// afterwards Back and the history list show nothing of the portal (someone
// looking over the device cannot step back through /report/... pages). The
// GOV.UK Back link on each page still works: it is an ordinary link to the
// previous step, worked out from the answers held in memory.
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();

/** Return false to keep the reader on the page (the token page uses this until the token is saved). */
type LeaveGuard = () => boolean;
let leaveGuard: LeaveGuard | null = null;
let navigations = 0;

export function setLeaveGuard(guard: LeaveGuard | null): void {
  leaveGuard = guard;
}

function notify(): void {
  navigations += 1;
  for (const l of listeners) l();
}

/** How many in-app navigations have happened (0 on first load), so first load does not steal focus. */
export function navigationCount(): number {
  return navigations;
}

/**
 * Show another page of the app. Always replaces the current history entry (see
 * the top of this file); `replace` is kept for callers that want to say so.
 */
export function navigate(to: string, _opts: { replace?: boolean } = {}): void {
  if (leaveGuard && !leaveGuard()) return;
  history.replaceState(null, '', to);
  notify();
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    if (leaveGuard && !leaveGuard()) {
      // Put the page the reader was on back; the browser has already moved.
      history.replaceState(null, '', currentPathname);
      return;
    }
    notify();
  });
}

let currentPathname = typeof location !== 'undefined' ? location.pathname : '/';

export interface Loc {
  path: string;
  query: URLSearchParams;
}

function read(): Loc {
  currentPathname = location.pathname;
  return { path: location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search) };
}

export function useLocation(): Loc {
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const l = () => setLoc(read());
    listeners.add(l);
    // A navigation between the first render and this (after-paint) effect would otherwise be missed.
    const now = read();
    if (now.path !== loc.path || now.query.toString() !== loc.query.toString()) setLoc(now);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return loc;
}

/** Delegated click handler: same-origin path links become in-app navigations. */
export function handleLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('//')) return;
  e.preventDefault();
  navigate(href);
}
