// Issue 4: the whole anonymous journey — start, every report step, check your
// answers, the token page, the follow-up (case) page — done with the keyboard
// alone (page.keyboard only: no clicks, no fill, no element shortcuts), with a
// visible focus indicator on every element Tab stops at. Along the way it
// records every request, response and history URL, and at the end proves:
//   - the case token never appeared in any URL (requests, navigations, history);
//   - nothing was kept in localStorage, sessionStorage, IndexedDB, Cache Storage or cookies;
//   - every response from the portal carried Cache-Control: no-store;
//   - no request went anywhere but the portal (no third-party fonts or scripts);
//   - leaving the token page asks first, until the token is saved;
//   - the portal held ONE history entry, which "Exit this page" (Shift ×3) replaced,
//     so Back lands on the page before the portal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { launch, needChromium } from './support/browser.ts';
import {
  byHref,
  byId,
  byText,
  EXIT_URL,
  focused,
  startPortal,
  stubExitSite,
  tabTo,
  waitForHeading,
  type Focused,
  type Portal,
} from './support/portal.ts';

const NARRATIVE = 'My sergeant keeps making comments about my appearance in the briefing room.';

describe.runIf(needChromium())('keyboard-only anonymous journey and reporter safety', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const requests: string[] = [];
  const navigations: string[] = [];
  const hrefs: string[] = [];
  const historyUrls: string[] = [];
  const responses: Array<{ url: string; cacheControl: string | undefined }> = [];
  const dialogs: Array<{ type: string; message: string; url: string }> = [];
  const invisibleFocus: Focused[] = [];
  let token = '';
  let historyBefore = 0;

  /** Every history entry of this tab, read through the DevTools protocol. */
  async function historyEntries(): Promise<string[]> {
    const cdp = await context.newCDPSession(page);
    const h = (await cdp.send('Page.getNavigationHistory')) as { entries: Array<{ url: string }> };
    await cdp.detach();
    return h.entries.map((e) => e.url);
  }

  /** After each step: note where we are (location and every history entry). */
  async function snapshot(): Promise<void> {
    hrefs.push(await page.evaluate(() => location.href));
    historyUrls.push(...(await historyEntries()));
  }

  const press = (key: string) => page.keyboard.press(key);
  const tab = (match: Parameters<typeof tabTo>[1]) => tabTo(page, match, { invisible: invisibleFocus });
  const continueOn = async () => {
    await tab(byText('Continue'));
    await press('Enter');
  };

  beforeAll(async () => {
    portal = await startPortal('keyboard');
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    page = await context.newPage();
    await stubExitSite(page);
    page.on('request', (r) => requests.push(r.url()));
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });
    page.on('response', (r) => {
      if (r.url().startsWith(portal.url)) responses.push({ url: r.url(), cacheControl: r.headers()['cache-control'] });
    });
    page.on('dialog', (d: Dialog) => {
      dialogs.push({ type: d.type(), message: d.message(), url: page.url() });
      void d.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('completes start → report → check → token → case follow-up with the keyboard alone', async () => {
    // Something else was open in this tab before the portal.
    await page.goto('about:blank');
    await page.goto(`${portal.url}/`);
    historyBefore = await page.evaluate(() => history.length);
    await waitForHeading(page, 'Raise a concern about someone in your force');

    // The first Tab stop on every page is the "Exit this page" skip link.
    await press('Tab');
    expect((await focused(page))?.text).toBe('Exit this page');
    await tab(byText('Start now'));
    await press('Enter');

    // Category: submit empty, then follow the error summary link to the field.
    await waitForHeading(page, 'What is your concern about?');
    await snapshot();
    await continueOn();
    await page.waitForSelector('.govuk-error-summary:focus');
    await press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', text: 'Select what your concern is about' });
    await press('Enter');
    expect((await focused(page))?.id).toBe('category');
    for (let i = 0; i < 3; i++) await press('ArrowDown'); // arrow keys move and select within a radio group
    expect(await page.evaluate(() => (document.querySelector('input[name=category]:checked') as HTMLInputElement | null)?.value)).toBe('bullying');
    await continueOn();

    await waitForHeading(page, 'Which unit or team is it about?');
    await snapshot();
    await tab(byId('unit'));
    await press('Space');
    await continueOn();

    // Bullying goes to the unit's command PSU, so the own-unit question always comes next.
    await waitForHeading(page, 'Who should read your report?');
    await snapshot();
    await tab(byId('avoidOwnUnit')); // a radio group is one Tab stop
    await press('ArrowDown');
    expect((await focused(page))?.id).toBe('avoidOwnUnit-yes');
    await continueOn();

    await waitForHeading(page, 'What happened?');
    await snapshot();
    await tab(byId('narrative'));
    await page.keyboard.type(NARRATIVE);
    await continueOn();

    await waitForHeading(page, 'When did it happen? (optional)');
    await snapshot();
    await tab(byId('when'));
    await page.keyboard.type('Most weeks since March');
    await continueOn();

    // The GOV.UK Back link still works although the portal keeps one history entry.
    await waitForHeading(page, 'Where did it happen? (optional)');
    await tab(byText('Back'));
    await press('Enter');
    await waitForHeading(page, 'When did it happen? (optional)');
    expect(await page.inputValue('#when')).toBe('Most weeks since March');
    await continueOn();

    for (const heading of ['Where did it happen? (optional)', 'Who was involved? (optional)', 'Did anyone else see or hear it? (optional)']) {
      await waitForHeading(page, heading);
      await snapshot();
      await continueOn(); // optional questions can be skipped
    }

    await waitForHeading(page, 'Do you want to tell us who you are?');
    await snapshot();
    await tab(byId('mode'));
    await press('Space');
    await continueOn();

    await waitForHeading(page, 'Check your answers before sending your report');
    await snapshot();
    expect(await page.textContent('main')).toContain(NARRATIVE);
    await tab(byId('send-report'));
    await press('Enter');

    await waitForHeading(page, 'Report sent');
    await snapshot();
    token = ((await page.textContent('[data-testid=case-token]')) ?? '').trim();
    expect(token).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    // Screen readers get the token one character at a time.
    const spelled = token.split('-').map((g) => g.split('').join(' ')).join(', ');
    expect(await page.textContent('main')).toContain(spelled);

    // Leaving before confirming the token is saved asks first (the answer here is "stay"):
    // the browser's Back button (history.back() stands in for it) gets the browser's own question…
    const beforeUnload = page.waitForEvent('dialog');
    await page.evaluate(() => history.back());
    expect((await beforeUnload).type()).toBe('beforeunload');
    await page.waitForTimeout(0);
    expect(new URL(page.url()).pathname).toBe('/report/token');
    // …and a link inside the portal gets ours.
    await tab(byHref('/case'));
    await press('Enter');
    await page.waitForTimeout(0);
    expect(dialogs.at(-1)).toMatchObject({ type: 'confirm' });
    expect(dialogs.at(-1)?.message).toContain('saved your case token');
    expect(new URL(page.url()).pathname).toBe('/report/token');
    expect(await page.isVisible('[data-testid=case-token]')).toBe(true);

    // Continue without ticking the box: an error, linked to the checkbox.
    await continueOn();
    await page.waitForSelector('.govuk-error-summary:focus');
    await press('Tab');
    await press('Enter');
    expect((await focused(page))?.id).toBe('saved');
    await press('Space');
    const dialogsBefore = dialogs.length;
    await continueOn();
    await waitForHeading(page, 'What happens next');
    expect(dialogs.length).toBe(dialogsBefore); // saved: no more questions
    await snapshot();

    // Follow-up: open the case with the token, send a message, sign out.
    await tab(byHref('/case'));
    await press('Enter');
    await waitForHeading(page, 'Enter your case token', 'Check your case');
    await snapshot();
    await tab(byId('token'));
    await page.keyboard.type(token.toLowerCase().replace(/-/g, ' ')); // any case, spaces instead of hyphens
    await press('Enter');
    await waitForHeading(page, 'Your case');
    await snapshot();
    await tab(byId('message'));
    await page.keyboard.type('I am worried people on my team will find out.');
    await tab(byText('Send message'));
    await press('Enter');
    await page.waitForFunction(() => document.querySelector('main')?.textContent?.includes('Your message has been sent.'));
    await snapshot();
    await tab(byId('sign-out'));
    await press('Enter');
    await page.waitForSelector('#token');
    await snapshot();

    expect(invisibleFocus, `focus not visible on: ${JSON.stringify(invisibleFocus)}`).toEqual([]);
  });

  it('kept nothing in browser storage', async () => {
    expect(token).not.toBe('');
    const stored = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      indexedDB: (await indexedDB.databases()).map((d) => d.name),
      caches: 'caches' in window ? await caches.keys() : [],
      cookie: document.cookie,
    }));
    expect(stored).toEqual({ local: 0, session: 0, indexedDB: [], caches: [], cookie: '' });
    const state = await context.storageState();
    expect(state.cookies).toEqual([]);
    expect(state.origins).toEqual([]);
  });

  it('never put the case token in a URL', async () => {
    const compact = token.replace(/-/g, '').toLowerCase();
    const groups = token.split('-').map((g) => g.toLowerCase());
    const all = [...requests, ...navigations, ...hrefs, ...historyUrls, ...(await historyEntries())];
    expect(all.length).toBeGreaterThan(20);
    for (const url of all) {
      const u = decodeURIComponent(url).toLowerCase().replace(/[-\s]/g, '');
      expect(u, url).not.toContain(compact);
      // Not even in pieces: no two neighbouring groups together.
      for (let i = 0; i + 1 < groups.length; i++) expect(u, url).not.toContain(`${groups[i]}${groups[i + 1]}`);
    }
  });

  it('sent no-store on every response and made no third-party requests', () => {
    expect(responses.length).toBeGreaterThan(10);
    for (const r of responses) expect(r.cacheControl, r.url).toContain('no-store');
    const elsewhere = requests.filter((u) => !u.startsWith(`${portal.url}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(elsewhere).toEqual([]);
  });

  it('held one history entry, which Exit this page (Shift ×3) replaces', async () => {
    // Every in-app step replaced the entry: history never grew past the first load.
    expect(await page.evaluate(() => history.length)).toBe(historyBefore);
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.waitForURL(`${EXIT_URL}**`);
    expect(await page.evaluate(() => history.length)).toBe(historyBefore);
    const entries = await historyEntries();
    expect(entries.filter((u) => u.startsWith(portal.url))).toEqual([]);
    expect(entries).toEqual(['about:blank', EXIT_URL]);
    await page.goBack();
    expect(page.url()).toBe('about:blank');
  });
});
