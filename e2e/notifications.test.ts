// The notification preferences page in Chromium: reached from the staff bar,
// GOV.UK radios per kind (no "straight away" for reporter-caused kinds), saved
// with a success banner, axe-clean before and after.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, needChromium } from './support/browser.ts';
import { expectAccessible } from './support/accessible.ts';
import { startPortal, type Portal } from './support/portal.ts';
import { signInToInbox } from './support/staff.ts';

describe.runIf(needChromium())('email notification preferences in Chromium', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal('notifications');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('lets an officer choose how they hear of each kind of event', async () => {
    const page = await (await browser.newContext()).newPage();
    await signInToInbox(page, portal.url, 'nw-bcu-psu-1');
    await page.getByRole('link', { name: 'Email notifications' }).click();
    await page.getByRole('heading', { name: 'Email notifications', level: 1 }).waitFor();
    await expectAccessible(page);

    const newCases = page.getByRole('group', { name: 'New cases in your team’s inbox' });
    expect(await newCases.getByRole('radio').count()).toBe(3); // batch, daily, off: never "straight away"
    expect(await newCases.getByRole('radio', { name: 'In the next batch (at most one email an hour)' }).isChecked()).toBe(true);
    const assigned = page.getByRole('group', { name: 'Cases assigned to you' });
    expect(await assigned.getByRole('radio', { name: 'Straight away' }).isChecked()).toBe(true);

    await newCases.getByRole('radio', { name: 'Do not email me' }).check();
    await page.getByRole('button', { name: 'Save choices' }).click();
    await page.getByText('Your choices are saved').waitFor();
    await expectAccessible(page);

    await page.reload();
    await page.locator('#passphrase').fill('demo-pass-nw-bcu-psu-1');
    await page.getByRole('button', { name: /Unlock/ }).click();
    await page.getByRole('heading', { name: 'Email notifications', level: 1 }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('group', { name: 'New cases in your team’s inbox' }).getByRole('radio', { name: 'Do not email me' }).isChecked()).toBe(true);
  });
});
