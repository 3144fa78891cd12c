// Shared helpers for the issue-4 browser tests (accessibility, keyboard,
// safety, quick exit) and the client benchmark.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileChooser, Page } from 'playwright-core';
import { startDemoServer, type DemoStarted as Started } from '../../seeds/demo-server.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(REPO, 'e2e', 'artifacts');

/** Where "Exit this page" sends people (client/src/components/ExitThisPage.tsx). */
export const EXIT_URL = 'https://www.bbc.co.uk/weather';

export interface Portal extends Started {
  dbFile: string;
  stop(): Promise<void>;
}

/**
 * One server per test file, on a fresh SQLite file in the OS temp directory,
 * serving the built client (run `npm run build` first; `npm test` does).
 * E2E_CLIENT_DIST points at another build (for working on the tests while
 * client/dist is being rebuilt by someone else).
 */
export async function startPortal(name: string): Promise<Portal> {
  const dbFile = join(tmpdir(), `rc-e2e-${name}-${process.pid}-${Date.now()}.sqlite`);
  const started = await startDemoServer({
    dbFile,
    port: 0,
    ...(process.env.E2E_CLIENT_DIST ? { clientDist: process.env.E2E_CLIENT_DIST } : {}),
  });
  return {
    ...started,
    dbFile,
    stop: async () => {
      await started.close();
      for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) rmSync(f, { force: true });
    },
  };
}

export function artifactPath(...parts: string[]): string {
  const file = join(ARTIFACTS, ...parts);
  mkdirSync(join(file, '..'), { recursive: true });
  return file;
}

/**
 * "Exit this page" goes to the BBC weather page. This machine has no internet,
 * so the browser is given a stand-in page for that address (the test still
 * sees the real URL, history entry and request).
 */
export async function stubExitSite(page: Page): Promise<void> {
  await page.route('https://www.bbc.co.uk/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>BBC Weather</title><h1>Weather</h1>' }),
  );
}

// ---------------------------------------------------------------- axe

const AXE_SOURCE = readFileSync(join(REPO, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page as it is now. axe is evaluated through the
 * DevTools protocol (page.evaluate), which the page's Content-Security-Policy
 * does not govern, so we do NOT need bypassCSP: the CSP stays enforced on the
 * pages being audited, exactly as real visitors get them.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  // From the top, as a page is first shown: "Exit this page" is sticky, so at whatever scroll position an earlier
  // click left, the targets it happens to overlap are "partially obscured" for axe's target-size rule, and the
  // verdict would depend on where the page stood (the intermittent check-page failure). A user scrolls them clear.
  await page.evaluate(() => new Promise<void>((r) => { window.scrollTo(0, 0); requestAnimationFrame(() => requestAnimationFrame(() => r())); }));
  return page.evaluate(async (tags) => {
    const w = window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  }, WCAG_TAGS);
}

export function describeViolations(vs: AxeViolation[]): string {
  return vs.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.join(' | ')}`).join('\n');
}

// ---------------------------------------------------------------- layout

/** Lets the browser finish layout (after a viewport change or a render). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** The page can be read without scrolling sideways (WCAG 1.4.10 Reflow). */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number } | null> {
  return page.evaluate(() => {
    const el = document.documentElement;
    return el.scrollWidth > el.clientWidth ? { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth } : null;
  });
}

// ---------------------------------------------------------------- keyboard

export interface Focused {
  tag: string;
  id: string;
  type: string;
  text: string;
  href: string;
  /** Why the focus is visible ('' = it is not). */
  visibleBy: string;
}

/**
 * Describes the focused element and whether a focus indicator is drawn:
 * a non-transparent outline, a box-shadow, or (GOV.UK radios and checkboxes,
 * whose real input is invisible) a box-shadow on the label's ::before ring.
 * GOV.UK sets `outline: 3px solid transparent` on focus for Windows high
 * contrast mode, so a transparent outline alone does not count.
 */
export async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const drawn = (s: CSSStyleDeclaration): string => {
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !/rgba\(.*,\s*0\)|transparent/.test(s.outlineColor);
      if (outline) return `outline ${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}`;
      if (s.boxShadow && s.boxShadow !== 'none') return `box-shadow ${s.boxShadow}`;
      return '';
    };
    let visibleBy = drawn(getComputedStyle(el));
    const input = el as HTMLInputElement;
    if (!visibleBy && el.tagName === 'INPUT' && (input.type === 'radio' || input.type === 'checkbox')) {
      const label = input.labels?.[0];
      if (label) {
        const ring = drawn(getComputedStyle(label, '::before')) || drawn(getComputedStyle(label, '::after'));
        if (ring) visibleBy = `label ${ring}`;
      }
    }
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: input.type ?? '',
      text: (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 80),
      href: el.getAttribute('href') ?? '',
      visibleBy,
    };
  });
}

export type FocusMatch = (f: Focused) => boolean;

export const byId = (id: string): FocusMatch => (f) => f.id === id;
export const byText = (text: string): FocusMatch => (f) => f.text === text;
export const byHref = (href: string): FocusMatch => (f) => f.href === href;

/**
 * Presses Tab until the focused element matches, checking on every stop that
 * the focus indicator is visible. Returns the elements passed through, so
 * tests can report the path. Throws if the target is never reached.
 */
export async function tabTo(page: Page, match: FocusMatch, opts: { max?: number; invisible?: Focused[] } = {}): Promise<Focused> {
  const max = opts.max ?? 80;
  const path: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    path.push(f ? `${f.tag}${f.id ? `#${f.id}` : ''} "${f.text.slice(0, 30)}"` : '(body)');
    if (!f) continue;
    if (!f.visibleBy) opts.invisible?.push(f);
    if (match(f)) return f;
  }
  throw new Error(`tabTo: target not reached after ${max} Tab presses on ${page.url()}; went through ${path.slice(0, 25).join(', ')}`);
}

/**
 * Waits until the page whose <h1> reads `heading` is fully shown: its title
 * (`title`, the heading by default) is set. The title, the Back link and the
 * move of focus to the <h1> happen in the same effect flush (client/src/page.ts),
 * so after this nothing on the page moves focus or scrolls by itself.
 */
export async function waitForHeading(page: Page, heading: string, title = heading): Promise<void> {
  await page.waitForFunction(
    ([h, t]) =>
      document.querySelector('main h1')?.textContent?.trim() === h && /^(Error: )?(.*) – Raise a concern$/.exec(document.title)?.[2] === t,
    [heading, title] as const,
    { timeout: 20_000 },
  ).catch(async (e: unknown) => {
    const now = await page
      .evaluate(() => ({
        url: location.pathname,
        title: document.title,
        h1: document.querySelector('main h1')?.textContent,
        main: document.querySelector('main')?.textContent?.slice(0, 200),
      }))
      .catch(() => null);
    throw new Error(`waiting for "${heading}" (title "${title}"): ${String(e).split('\n')[0]}; page is ${JSON.stringify(now)}`);
  });
}

/**
 * With focus on a file input, opens the system's file picker with Space (as a keyboard user does) and answers it
 * with `files`. Under heavy load Chromium has been seen to drop the picker for one key press, so the press is
 * repeated (at most 3 times) while focus is still on the input; a picker that never opens still fails the test.
 */
export async function pickFilesWithSpace(page: Page, files: Parameters<FileChooser['setFiles']>[0]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const type = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type);
    if (type !== 'file') throw new Error('pickFilesWithSpace: focus is not on a file input');
    try {
      const [picker] = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), page.keyboard.press('Space')]);
      await picker.setFiles(files);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}
