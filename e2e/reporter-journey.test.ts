// The foundation end to end, in Debian's Chromium: a staff member reports
// anonymously, keeps the token, comes back with it, reads their report
// (re-opened in the browser) and sends a message. Then the triage side opens
// the sealed case with the demo keys, and the database is searched for every
// word typed: none may be there.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseAsRecipient } from '../server/src/case/open-case.ts';
import { startDemoServer, type DemoStarted as Started } from '../seeds/demo-server.ts';
import { demoRecoveryKeyPair, demoStaffKeyPair } from '../seeds/demo.ts';
import { deriveAccessKey, parseToken, ready, toB64u } from '../shared/src/crypto/index.ts';
import { launch, needChromium } from './support/browser.ts';
import { dumpDatabase } from './support/dump.ts';

const WORDS = {
  narrative: 'Sergeant Quillfeather kept texting me about my appearance',
  when: 'Thursday night shift in Marchbrook',
  where: 'The Wexcombe custody suite kitchen',
  people: 'Sergeant Quillfeather and Constable Brightwater',
  witnesses: 'Civilian jailer Osterley heard it',
  message: 'It happened again on Saturday near Tollingham',
};

describe.runIf(needChromium())('anonymous report, token, follow-up and message in Chromium', () => {
  let server: Started;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const requests: string[] = [];
  const foreign: string[] = [];
  const workers: string[] = [];
  const statuses: string[] = [];
  let token = '';
  let caseRef = '';

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    await ready();
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite') });
    browser = await launch();
    const context = await browser.newContext();
    page = await context.newPage();
    page.on('worker', (w) => workers.push(w.url()));
    page.on('request', (r) => {
      requests.push(r.url());
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const next = () => page.getByRole('button', { name: 'Continue' }).click();

  it('walks the report journey and shows a token', async () => {
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Start now' }).click();
    await page.locator('#category-bullying').check();
    await next();
    await page.locator('#unit-nw-response-camden').check();
    await next();
    await expect.poll(() => page.url()).toContain('/report/own-unit');
    await page.locator('#avoidOwnUnit').check();
    await next();
    await page.locator('#narrative').fill(WORDS.narrative);
    await next();
    await page.locator('#when').fill(WORDS.when);
    await next();
    await page.locator('#where').fill(WORDS.where);
    await next();
    await page.locator('#people').fill(WORDS.people);
    await next();
    await page.locator('#witnesses').fill(WORDS.witnesses);
    await next();
    await page.locator('#mode').check();
    await next();
    await expect.poll(() => page.url()).toContain('/report/check');
    expect(await page.locator('main').innerText()).toContain(WORDS.narrative);
    // The proof-of-work stamp was solved in a Web Worker (allowed by the CSP) while the questions were answered.
    expect(workers.some((u) => /\/assets\/pow\.worker-[\w-]+\.js$/.test(u))).toBe(true);
    expect(requests.some((u) => u.endsWith('/api/v1/pow'))).toBe(true);
    const status = page.locator('form [role="status"]');
    const watch = setInterval(() => void status.innerText().then((t) => statuses.push(t), () => undefined), 20);
    await page.locator('#send-report').click();
    await page.getByTestId('case-token').waitFor({ timeout: 20_000 });
    clearInterval(watch);
    // A genuine reporter did not wait for it: the stamp was ready, so "Preparing to send securely" never showed.
    expect(statuses.filter((t) => t.includes('Preparing'))).toEqual([]);
    token = (await page.getByTestId('case-token').innerText()).trim();
    caseRef = (await page.getByTestId('case-ref').innerText()).trim();
    expect(token).toMatch(/^([0-9A-Z]{5}-){4}[0-9A-Z]{5}$/);
    expect(parseToken(token).ok).toBe(true);
    expect(caseRef).toMatch(/^RC-/);
  });

  it('comes back with the token, reads the report and sends a message', async () => {
    await page.locator('#saved').check();
    await next();
    await page.goto(`${server.url}/case`);
    await page.locator('#token').fill(token.toLowerCase().replace(/-/g, ' '));
    await next();
    await page.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    expect((await page.getByTestId('case-ref').innerText()).trim()).toBe(caseRef);
    const main = page.locator('main');
    expect(await main.innerText()).toContain('Received');
    await page.getByText('Show what you reported').click();
    await expect.poll(() => main.innerText()).toContain(WORDS.narrative);
    expect(await main.innerText()).toContain(WORDS.witnesses);
    await page.locator('#message').fill(WORDS.message);
    await page.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => main.innerText(), { timeout: 10_000 }).toContain(WORDS.message);
  });

  it('lets the routed PSU and the recovery key open it, with the message', async () => {
    for (const keyPair of [demoStaffKeyPair('nw-bcu-psu-1'), demoRecoveryKeyPair()]) {
      const opened = await openCaseAsRecipient(server.handle.db, caseRef, [keyPair]);
      expect(opened.team).toBe('nw-bcu-psu');
      expect(opened.report.narrative).toBe(WORDS.narrative);
      expect(opened.report.witnesses).toBe(WORDS.witnesses);
      expect(opened.messages.map((m) => m.text)).toContain(WORDS.message);
    }
  });

  it('leaves no typed word, token or access key in the database, no cookie, no token in a URL, no foreign request', async () => {
    const parsed = parseToken(token);
    if (!parsed.ok) throw new Error('token did not parse');
    const secrets = [...Object.values(WORDS), token, token.replace(/-/g, ''), toB64u(deriveAccessKey(parsed.token))];
    const dump = await dumpDatabase(server.handle.db as never, server.handle.file ?? undefined);
    expect(dump).toContain(caseRef);
    // Report which secret leaked, never the dump itself (it is megabytes of ciphertext).
    const words = secrets.flatMap((s) => [s, ...s.split(' ').filter((w) => w.length > 7)]);
    expect(words.filter((w) => dump.includes(w))).toEqual([]);
    expect(await page.context().cookies()).toEqual([]);
    for (const url of requests) {
      expect(url).not.toContain(token);
      expect(url).not.toContain(token.replace(/-/g, ''));
    }
    expect(foreign).toEqual([]);
  });
});
