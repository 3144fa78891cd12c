// The staff sign-in page on a phone: the form must not wait for anything heavy.
// libsodium (the staff crypto chunk, ~190 KB gzip) and the staff workspace
// bundle are HELD here (their responses are kept back until the test lets
// them go), and the form must still show and take typing. The crypto chunk is
// fetched only once the officer starts on the form, not while the page loads.
// Layout shift, measured by the browser's own layout-shift entries, stays 0
// through loading and typing. No timings are asserted: only what happened
// before what.
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needChromium, launch } from './support/browser.ts';
import { startPortal, type Portal } from './support/portal.ts';
import { demoPass, nextCode } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-2';
// A phone-sized window, like Lighthouse's mobile run.
const PHONE = { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true };

/** libsodium's chunks: large, and they name libsodium (as e2e/bench-client.ts tells them apart). */
const isSodium = (body: Buffer) => body.length > 64 * 1024 && (body.includes('libsodium') || body.includes('sodium_init'));
/** The staff workspace bundle (inbox, case, admin pages): the sign-in form must not need it. */
const isWorkspace = (body: Buffer) => body.includes('Staff accounts') && body.includes('Case numbers');


describe.runIf(needChromium())('staff sign-in: the form comes first, the crypto while typing', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal('sign-in-speed');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  interface Held {
    page: Page;
    /** What was asked for, and at which step of the test ("load", "typing"). */
    sodium: string[];
    workspace: string[];
    step: { now: string };
    release: () => void;
    /** Lets through the chunks kept back until the first paint (see the layout-shift test). */
    painted: () => void;
  }

  /** A phone page whose libsodium (and, if asked, workspace) chunks are kept back until `release()`. */
  async function heldPage(holdWorkspace: boolean, holdChunksUntilPainted = false): Promise<Held> {
    const page = await (await browser.newContext(PHONE)).newPage();
    page.on('pageerror', (e) => console.error(`page error on ${page.url()}: ${e.message}`));
    let release = () => undefined as void;
    const released = new Promise<void>((r) => (release = r));
    let painted = () => undefined as void;
    const afterPaint = new Promise<void>((r) => (painted = r));
    const held: Held = { page, sodium: [], workspace: [], step: { now: 'load' }, release, painted };
    // The files index.html names (the entry script and CSS) are never held.
    const html = await (await page.request.get(`${portal.url}/triage/sign-in`)).text();
    const entry = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]));
    await page.route('**/assets/*', async (route: Route) => {
      const at = held.step.now; // when the browser asked, not when the answer came
      const path = new URL(route.request().url()).pathname;
      // A slow phone network: every chunk after the entry arrives after the first paint.
      if (holdChunksUntilPainted && !entry.has(path)) await afterPaint;
      const res = await route.fetch();
      const body = await res.body();
      if (isSodium(body)) held.sodium.push(at);
      if (isWorkspace(body)) held.workspace.push(at);
      if (isSodium(body) || (holdWorkspace && isWorkspace(body))) await released;
      await route.fulfill({ response: res, body });
    });
    // Every layout shift the browser reports, from the very first paint.
    await page.addInitScript(() => {
      const w = window as unknown as { __shifts: { value: number; recent: boolean; sources: string[] }[] };
      w.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] }[]) {
          w.__shifts.push({
            value: e.value,
            recent: e.hadRecentInput,
            sources: (e.sources ?? []).map((s) => (s.node instanceof Element ? `${s.node.tagName.toLowerCase()}.${[...s.node.classList].join('.')}` : String(s.node?.nodeName))),
          });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    return held;
  }

  /** Lets the page finish what it does by itself after loading: the load event, two frames, then an idle moment. */
  const idle = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const after = () => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(() => resolve(), { timeout: 2_000 })));
          if (document.readyState === 'complete') after();
          else addEventListener('load', after, { once: true });
        }),
    );

  const shifts = (page: Page) => page.evaluate(() => (window as unknown as { __shifts: { value: number; recent: boolean; sources: string[] }[] }).__shifts);

  it('shows a usable form while libsodium and the staff bundle are held, and asks for libsodium only once the officer starts', async () => {
    const h = await heldPage(true);
    const { page } = h;
    try {
      await page.goto(`${portal.url}/triage/sign-in`, { waitUntil: 'commit' });
      await page.locator('#username').waitFor({ state: 'visible', timeout: 15_000 });
      await idle(page);
      expect(await page.locator('main h1').innerText()).toBe('Sign in to the triage service');
      // Nothing heavy was asked for while the page loaded.
      expect(h.sodium).toEqual([]);
      expect(h.workspace).toEqual([]);

      // Starting on the form fetches the crypto (while the officer types).
      h.step.now = 'typing';
      await page.locator('#username').click();
      await expect.poll(() => h.sodium.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(new Set(h.sodium)).toEqual(new Set(['typing']));
      await page.keyboard.type(OFFICER);
      await page.locator('#passphrase').fill(demoPass(OFFICER));
      await page.locator('#code').fill(nextCode(OFFICER));
      expect(await page.locator('#username').inputValue()).toBe(OFFICER);

      // Signing in before the crypto has arrived waits for it, saying so.
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.locator('main [role=status]').innerText()).toContain('Checking your details');
      h.release();
      await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 30_000 });
    } finally {
      h.release();
      h.painted();
      await page.context().close();
    }
  });

  it('does not shift while it loads, while the crypto arrives, or while the officer types', async () => {
    // As on a slow network, the page paints before its chunks arrive; libsodium is held until the officer types.
    const h = await heldPage(false, true);
    const { page } = h;
    try {
      await page.goto(`${portal.url}/triage/sign-in`, { waitUntil: 'commit' });
      await page.waitForFunction(() => performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint'), undefined, { timeout: 15_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      h.painted();
      await page.locator('#username').waitFor({ state: 'visible', timeout: 15_000 });
      await idle(page);
      h.step.now = 'typing';
      await page.locator('#username').click();
      await page.keyboard.type(OFFICER, { delay: 20 });
      await expect.poll(() => h.sodium.length, { timeout: 10_000 }).toBeGreaterThan(0);
      h.release(); // the crypto (and the staff bundle, with its CSS) arrive while the officer is typing
      await page.locator('#passphrase').click();
      await page.keyboard.type('a passphrase typed slowly', { delay: 20 });
      await page.waitForLoadState('networkidle');
      await idle(page);
      const all = await shifts(page);
      // hadRecentInput entries are the page answering a keypress or click, which CLS leaves out too.
      const cls = all.filter((s) => !s.recent).reduce((n, s) => n + s.value, 0);
      expect(cls, JSON.stringify(all)).toBeLessThan(0.001);
    } finally {
      h.release();
      h.painted();
      await page.context().close();
    }
  });
});
