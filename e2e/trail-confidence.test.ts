// Issue 14 parts 3 and 4 in Chromium: the reporter's case trail matches what the
// officer did, with no staff name; an overdue acknowledgement shows as a broken
// promise; the reporter answers "did you feel listened to?" with the keyboard
// alone, and the team reads the sealed comment; oversight shows confidence only
// above the suppression threshold, and its CSV download and chart agree with the
// table. axe on every new page and error state at desktop and 320 px.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted } from '../seeds/demo-server.ts';
import type { PowChallenge, RecipientsInfo } from '../shared/src/api/schemas.ts';
import {
  DEMO_ORG_LABEL, demoSigningKeyPair, formatStamp, formatToken, fromB64u, POW_HEADER, ready, sealVerified, solve,
} from '../shared/src/crypto/index.ts';
import { addDays, todayInLondon } from '../shared/src/domain/clock.ts';
import { launch, needChromium } from './support/browser.ts';
import { byId, byText, focused, tabTo } from './support/portal.ts';
import { auditLayouts } from './support/reflow.ts';
import { goInApp, signInToInbox, signIn } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
const COMMENT = 'Nobody rang me back for weeks, Quillerby.';
const NARRATIVE = 'Trail test: a sergeant mocks the rota requests of part-time staff.';

/** Files an anonymous report over the API as a browser would and returns the token as shown to the reporter. */
async function fileReport(url: string): Promise<string> {
  await ready();
  const q = new URLSearchParams({ category: 'bullying', unit: 'nw-response-camden' });
  const recipients = (await (await fetch(`${url}/api/v1/intake/recipients?${q}`)).json()) as RecipientsInfo;
  const { token, body } = sealVerified({ mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: NARRATIVE } },
    recipients, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey);
  const c = (await (await fetch(`${url}/api/v1/pow`)).json()) as PowChallenge;
  const stamp = formatStamp(c.challenge, solve(fromB64u(c.challenge), c.difficulty)!.nonce);
  const res = await fetch(`${url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', [POW_HEADER]: stamp }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`report: ${res.status}`);
  return formatToken(token);
}

/** The last day of the last month that has ended: what oversight counts up to. */
function lastMonthEnd(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
}

describe.runIf(needChromium())('case trail and confidence in Chromium', () => {
  let server: DemoStarted;
  let browser: Browser;
  let reporter: Page;
  let staff: Page;
  let dir: string;
  let token = '';
  let caseRef = '';
  let officerName = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-trail-'));
    // The demo cases are seeded ten days back, so demo case 2 (received 3 days before that) is overdue for acknowledgement.
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite'), port: 0, today: addDays(todayInLondon(), -10) });
    browser = await launch();
    reporter = await (await browser.newContext()).newPage();
    staff = await (await browser.newContext()).newPage();
    const db = server.handle.db;
    officerName = (await db.selectFrom('staff').select('display_name').where('id', '=', OFFICER).executeTakeFirstOrThrow()).display_name;
    // Survey answers in the last month that has ended (a browser can only answer today, which oversight
    // does not count until the month is over): five about North West BCU, one about Central South BCU.
    const ended = lastMonthEnd(todayInLondon());
    const cases = await db.selectFrom('cases').select(['id', 'unit_id']).where('unit_id', 'in', ['nw-response-camden', 'cs-custody-brixton']).execute();
    const nw = cases.find((c) => c.unit_id === 'nw-response-camden')!.id;
    const cs = cases.find((c) => c.unit_id === 'cs-custody-brixton')!.id;
    const rows = [[nw, 5, 5], [nw, 4, 2], [nw, 4, 4], [nw, 2, 1], [nw, 5, 4], [cs, 1, 1]].map(([id, l, s], i) => ({
      case_id: id!, invitation: `closed-${i + 1}`, id: `${'A'.repeat(20)}${'ABCDEF'[i]}A`, on: ended, listened: l!, supported: s!, comment_nonce: null, comment_ct: null,
    }));
    await db.insertInto('survey_answers').values(rows).execute();
    // Filed only now: the answers above must go to demo cases, never to this test's own case (rows come back in
    // random-id order, so a report filed earlier could be the first North West case and look already answered).
    token = await fileReport(server.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const trail = async (p: Page) => p.locator('[data-testid="trail"] li').evaluateAll((lis) => lis.map((li) => ({
    title: li.querySelector('h3')!.textContent!.trim(),
    day: li.querySelector('time')!.getAttribute('datetime')!,
    by: li.querySelector('[data-testid="trail-by"]')?.textContent?.replace(/^, by /, '') ?? null,
  })));
  const audit = async (p: Page, name: string) => {
    const problems = await auditLayouts(p, await p.context().newCDPSession(p), 'trail-confidence', name);
    expect(problems, problems.join('\n')).toEqual([]);
  };
  const openAsReporter = async (t: string) => {
    await reporter.goto(`${server.url}/case`);
    await reporter.locator('#token').fill(t);
    await reporter.getByRole('button', { name: 'Continue' }).click();
    await reporter.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    return (await reporter.getByTestId('case-ref').innerText()).trim();
  };

  it('shows the officer a trail with their name on each step they take', async () => {
    caseRef = await openAsReporter(token);
    await signInToInbox(staff, server.url, OFFICER);
    await staff.getByRole('link', { name: caseRef }).click();
    await staff.locator('#knows-people-no').check();
    await staff.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => staff.locator('main').innerText(), { timeout: 20_000 }).toContain(NARRATIVE);
    for (const status of ['acknowledged', 'assessing', 'investigating']) {
      await staff.locator(`input[name="status"][value="${status}"]`).check();
      await staff.getByRole('button', { name: 'Save status' }).click();
      await expect.poll(async () => (await trail(staff)).length, { timeout: 20_000 }).toBe(['acknowledged', 'assessing', 'investigating'].indexOf(status) + 2);
    }
    await staff.locator('input[name="status"][value="closed"]').check();
    await staff.locator('#outcome-management_action').check();
    await staff.locator('#explanation').fill('A manager has spoken to the sergeant.');
    await staff.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(async () => (await trail(staff)).length, { timeout: 20_000 }).toBe(5);
    const steps = await trail(staff);
    expect(steps.map((s) => s.by)).toEqual([null, officerName, officerName, officerName, officerName]);
    expect(steps.map((s) => s.title.split(':')[0])).toEqual(['Report received', 'Report acknowledged', 'Being assessed', 'Investigation started', 'Case closed']);
    await expect.poll(() => staff.getByTestId('promise-acknowledge').innerText()).toContain('Kept');
    await audit(staff, 'staff-case');
  }, 120_000);

  it('shows the reporter the same steps and dates, with no staff name', async () => {
    await openAsReporter(token);
    const staffSteps = await trail(staff);
    const mine = await trail(reporter);
    expect(mine.map((s) => [s.title, s.day])).toEqual(staffSteps.map((s) => [s.title, s.day]));
    expect(mine.every((s) => s.by === null)).toBe(true);
    const text = await reporter.locator('main').innerText();
    expect(text).not.toContain(officerName);
    expect(text).not.toContain(OFFICER);
    expect(await reporter.getByTestId('promise-acknowledge').innerText()).toContain('Kept');
    await reporter.getByTestId('survey').waitFor();
    await audit(reporter, 'reporter-case');
  }, 90_000);

  it('shows the survey errors accessibly, then takes the answers from the keyboard alone', async () => {
    // Sending with nothing chosen: the error summary, at both sizes.
    await reporter.getByRole('button', { name: 'Send your answers' }).focus();
    await reporter.keyboard.press('Enter');
    await reporter.locator('.govuk-error-summary').waitFor();
    expect(await reporter.locator('.govuk-error-summary').innerText()).toContain('Select how much you agree that you felt listened to');
    await audit(reporter, 'reporter-survey-error');
    // From the error summary (which has focus) to the first radio, then arrows, Tab, typing and Enter.
    await reporter.locator('.govuk-error-summary').focus();
    await tabTo(reporter, byText('Select how much you agree that you felt listened to'));
    await reporter.keyboard.press('Enter');
    expect((await focused(reporter))?.id).toBe('listened');
    for (let i = 0; i < 3; i++) await reporter.keyboard.press('ArrowDown'); // Agree
    await tabTo(reporter, byId('supported'));
    await reporter.keyboard.press('Space'); // Strongly disagree
    await tabTo(reporter, byId('survey-comment'));
    await reporter.keyboard.type(COMMENT);
    await tabTo(reporter, byText('Send your answers'));
    await reporter.keyboard.press('Enter');
    await reporter.getByTestId('survey-thanks').waitFor({ timeout: 30_000 });
    await audit(reporter, 'reporter-survey-thanks');
  }, 120_000);

  it('shows the team the answers and the comment on the case page', async () => {
    // Closed, so not in the inbox's open tab: straight to the case page, in the app (the key stays in memory).
    await goInApp(staff, '/triage');
    await staff.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    await goInApp(staff, `/triage/case/${caseRef}`);
    const answers = staff.getByTestId('survey-answers');
    await expect.poll(() => answers.innerText(), { timeout: 20_000 }).toContain(COMMENT);
    const text = await answers.innerText();
    expect(text).toContain('Agree (4 of 5)');
    expect(text).toContain('Strongly disagree (1 of 5)');
    await audit(staff, 'staff-survey-answers');
  }, 60_000);

  it('shows an overdue acknowledgement as a broken promise', async () => {
    await openAsReporter(server.demoTokens[1]!);
    expect(await reporter.getByTestId('promise-acknowledge').innerText()).toMatch(/^Broken/);
    expect((await trail(reporter)).map((s) => s.title)).toEqual(['Report received']);
    await audit(reporter, 'reporter-broken-promise');
  }, 90_000);

  it('shows oversight confidence only above the threshold; the CSV and the chart agree with the table', async () => {
    const o = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await signIn(o, server.url, 'oversight-demo', 'Case numbers');
    const table = o.getByTestId('table-confidence-by-command');
    await table.waitFor({ timeout: 20_000 });
    const cells = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      id: tr.getAttribute('data-row')!,
      label: tr.querySelector('th')!.textContent!.trim(),
      values: [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value')!),
    })));
    const row = (id: string) => cells.find((c) => c.id === id)!.values;
    expect(row('nw-bcu')).toEqual(['5', '80%', '60%']);
    expect(row('cs-bcu')).toEqual(['<5', 'suppressed', 'suppressed']);
    expect(await table.locator('tr[data-row="cs-bcu"]').innerText()).not.toMatch(/\d+%/);

    // The CSV download has the same rows and cells.
    const [download] = await Promise.all([o.waitForEvent('download'), o.getByTestId('csv-confidence-by-command').click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('Command,Answers,Felt listened to (agree or strongly agree),Felt supported (agree or strongly agree)');
    expect(csv.slice(1)).toEqual(cells.map((c) => [c.label, ...c.values].join(',')));

    // The chart: shown on request, loaded, and its marks say what the table says.
    await o.getByText('Show “Confidence by command” as a chart').click();
    await expect.poll(() => o.getByTestId('chart-confidence-by-command').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const svg = await o.evaluate(async () => (await fetch('/api/v1/staff/oversight/charts/confidence-by-command')).text());
    expect(svg).toContain('<title id="chart-confidence-by-command-title">Confidence by command</title>');
    expect(svg).toMatch(/<rect data-row="nw-bcu" data-column="listened" data-value="0.8"/);
    expect(svg).toMatch(/<rect data-row="cs-bcu" data-column="listened" data-suppressed="suppressed"/);
    expect(svg).not.toMatch(/data-row="cs-bcu"[^>]*data-value/);
    await audit(o, 'oversight');
    // Keyboard: the download link is reachable and named.
    await o.locator('h1').focus();
    await tabTo(o, byText('Download “Confidence by command” as CSV'), { max: 120 });
  }, 120_000);
});
