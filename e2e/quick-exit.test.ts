// Issue 4: "Exit this page" works from every reporter page, both ways — the
// Shift key pressed 3 times and the button — and afterwards nothing of the
// portal is left in the tab's history: the portal occupied one history entry
// (in-app steps replace it) and leaving replaced that entry with the exit
// site. So with about:blank opened first, the history afterwards is exactly
// [about:blank, exit site]; Back lands on about:blank; history.length is what
// it was before the portal was opened, plus the one entry the exit page
// took over. The token page leaves without asking (it asks for any other way out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, needChromium } from './support/browser.ts';
import { EXIT_URL, startPortal, stubExitSite, waitForHeading, type Portal } from './support/portal.ts';

interface Step {
  name: string;
  /** From the previous step's page to this one (mouse and fill are fine here; the keyboard journey is elsewhere). */
  go: (page: Page, portal: Portal) => Promise<void>;
}

const cont = (page: Page) => page.getByRole('button', { name: 'Continue', exact: true }).click();

const REPORT: Step[] = [
  { name: 'start', go: async (page) => waitForHeading(page, 'Raise a concern about someone in your force') },
  {
    name: 'category',
    go: async (page) => {
      await page.getByRole('link', { name: 'Start now' }).click();
      await waitForHeading(page, 'What is your concern about?');
    },
  },
  {
    name: 'unit',
    go: async (page) => {
      await page.check('#category-bullying');
      await cont(page);
      await waitForHeading(page, 'Which unit or team is it about?');
    },
  },
  {
    name: 'own-unit',
    go: async (page) => {
      await page.check('#unit');
      await cont(page);
      await waitForHeading(page, 'Who should read your report?');
    },
  },
  {
    name: 'what-happened',
    go: async (page) => {
      await page.check('#avoidOwnUnit');
      await cont(page);
      await waitForHeading(page, 'What happened?');
    },
  },
  ...(
    [
      ['when', 'When did it happen? (optional)'],
      ['where', 'Where did it happen? (optional)'],
      ['people', 'Who was involved? (optional)'],
      ['witnesses', 'Did anyone else see or hear it? (optional)'],
      ['about-you', 'Do you want to tell us who you are?'],
    ] as const
  ).map(([name, heading]): Step => ({
    name,
    go: async (page) => {
      if (name === 'when') await page.fill('#narrative', 'Comments about my appearance in briefings.');
      await cont(page);
      await waitForHeading(page, heading);
    },
  })),
  {
    name: 'check',
    go: async (page) => {
      await page.check('#mode');
      await cont(page);
      await waitForHeading(page, 'Check your answers before sending your report');
    },
  },
  {
    name: 'token',
    go: async (page) => {
      await page.click('#send-report');
      await waitForHeading(page, 'Report sent');
    },
  },
  {
    name: 'done',
    go: async (page) => {
      await page.check('#saved');
      await cont(page);
      await waitForHeading(page, 'What happens next');
    },
  },
];

const CASE: Step[] = [
  REPORT[0]!,
  {
    name: 'case-entry',
    go: async (page) => {
      await page.getByRole('link', { name: 'I already have a case token' }).click();
      await waitForHeading(page, 'Enter your case token', 'Check your case');
    },
  },
  {
    name: 'case-view',
    go: async (page, portal) => {
      await page.fill('#token', portal.demoTokens[0]!);
      await cont(page);
      await waitForHeading(page, 'Your case');
    },
  },
];

const TARGETS: Array<{ name: string; path: Step[] }> = [
  ...REPORT.map((s, i) => ({ name: s.name, path: REPORT.slice(0, i + 1) })),
  ...CASE.slice(1).map((s, i) => ({ name: s.name, path: CASE.slice(0, i + 2) })),
];

describe.runIf(needChromium())('Exit this page from every reporter page', () => {
  let portal: Portal;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    portal = await startPortal('quick-exit');
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  async function historyEntries(page: Page): Promise<string[]> {
    const cdp = await context.newCDPSession(page);
    const h = (await cdp.send('Page.getNavigationHistory')) as { entries: Array<{ url: string }> };
    await cdp.detach();
    return h.entries.map((e) => e.url);
  }

  // Each page is left one way or the other, alternately; the pages where it
  // matters most (first page, free-text typing, the unsaved token, an open
  // case) are left both ways. The button is on every page (Layout), and the
  // accessibility test sees it on every page. Each case costs a fresh tab and a
  // walk, so this keeps the file well under a minute.
  const BOTH = new Set(['start', 'what-happened', 'token', 'case-view']);
  const cases = TARGETS.flatMap((t, i) =>
    BOTH.has(t.name) ? [{ t, how: 'shift' as const }, { t, how: 'button' as const }] : [{ t, how: i % 2 === 0 ? ('shift' as const) : ('button' as const) }],
  );

  for (const { t: target, how } of cases) {
    it(`${target.name}: ${how === 'shift' ? 'Shift ×3' : 'the button'}`, async () => {
        const page = await context.newPage();
        try {
          await stubExitSite(page);
          const dialogs: string[] = [];
          page.on('dialog', (d) => {
            dialogs.push(d.type());
            void d.dismiss();
          });
          await page.goto('about:blank');
          const before = await page.evaluate(() => history.length);
          await page.goto(`${portal.url}/`);
          for (const step of target.path) await step.go(page, portal);
          // Every step so far replaced the portal's one entry.
          expect(await page.evaluate(() => history.length)).toBe(before + 1);
          expect(await page.getAttribute('.govuk-exit-this-page__button', 'href')).toBe(EXIT_URL);

          if (how === 'shift') {
            // As if typing: focus in the page's text field, if it has one.
            const field = page.locator('main textarea, main input[type=text]').first();
            if ((await field.count()) > 0) await field.focus();
            for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
          } else {
            await page.locator('.govuk-exit-this-page__button').click();
          }
          await page.waitForURL(`${EXIT_URL}**`);

          expect(dialogs).toEqual([]); // no "are you sure?" on the way out, even from the token page
          expect(await page.evaluate(() => history.length)).toBe(before + 1);
          expect(await historyEntries(page)).toEqual(['about:blank', EXIT_URL]);
          await page.goBack();
          expect(page.url()).toBe('about:blank');
          expect(await page.goBack()).toBeNull(); // nothing further back either
        } finally {
          await page.close();
        }
      });
  }
});
