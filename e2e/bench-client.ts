// npm run bench:client — the reporter client's performance budget, measured in
// Debian's Chromium on this machine. Prints:
//   1. first-load JavaScript of the start page, gzip-compressed (budget ≤ 60 KB),
//      and which scripts load later (libsodium's chunk must not be among the
//      first ones: it is fetched once the reporter starts a report);
//   2. the time from pressing "Send report" to the token page (median of 5),
//      measured inside the page with performance.now();
//   3. the staff sign-in page next to the reporter start page (e2e/bench-pages.ts):
//      first-load JS+CSS (gzip), and LCP and CLS in Chromium on an emulated slow
//      phone (CPU ÷4, 1.6 Mbps, 150 ms RTT); then Lighthouse's mobile
//      performance score for both, if the lighthouse package is installed.
// Exits 1 if the start page is over budget or libsodium loads with it.
// Builds the client first (skip with --no-build; E2E_CLIENT_DIST measures another build).
// --pages-only runs part 3 alone.
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launch } from './support/browser.ts';
import { REPO, startPortal, waitForHeading } from './support/portal.ts';
import { comparePages } from './bench-pages.ts';

const BUDGET_KB = 60;
const RUNS = 5;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// libsodium's chunk: its JavaScript names the functions, and its WebAssembly is
// inlined (so it is large). Small chunks that merely call crypto_box_seal do not count.
const hasSodium = (body: Buffer) => body.length > 64 * 1024 && (body.includes('libsodium') || body.includes('sodium_init'));

/** Resolves once the chunk holding libsodium has been downloaded (whatever the bundler named it). */
async function sodiumArrives(page: Page, timeout: number): Promise<void> {
  await page.waitForResponse(async (r) => r.url().endsWith('.js') && hasSodium(await r.body()), { timeout });
}

async function walkToCheck(page: Page): Promise<void> {
  const cont = () => page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('link', { name: 'Start now' }).click();
  await waitForHeading(page, 'What is your concern about?');
  await page.check('#category-bullying');
  await cont();
  await waitForHeading(page, 'Which unit or team is it about?');
  await page.check('#unit-none');
  await cont();
  await waitForHeading(page, 'What happened?');
  await page.fill('#narrative', 'A sergeant keeps making comments about my appearance in front of the team. '.repeat(8));
  await cont();
  for (const h of ['When did it happen? (optional)', 'Where did it happen? (optional)', 'Who was involved? (optional)', 'Did anyone else see or hear it? (optional)']) {
    await waitForHeading(page, h);
    await cont();
  }
  await waitForHeading(page, 'Do you want to tell us who you are?');
  await page.check('#mode');
  await cont();
  await waitForHeading(page, 'Check your answers before sending your report');
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('Chromium not found (set CHROMIUM_PATH)');
  if (!process.argv.includes('--no-build') && !process.env.E2E_CLIENT_DIST) {
    execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'error'], { cwd: REPO, stdio: 'inherit' });
  }
  const portal = await startPortal('bench');
  const browser = await launch();
  let failed = false;
  try {
    if (process.argv.includes('--pages-only')) return await comparePages(browser, portal.url);
    // 1. First-load JS of the start page.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const scripts: Array<{ url: string; body: Buffer; phase: string }> = [];
    let phase = 'start page';
    const pending: Array<Promise<unknown>> = [];
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'script' && !r.url().endsWith('.js')) return;
      const at = phase;
      pending.push(r.body().then((body) => scripts.push({ url: r.url(), body, phase: at })));
    });
    await page.goto(`${portal.url}/`, { waitUntil: 'networkidle' });
    await waitForHeading(page, 'Raise a concern about someone in your force');
    await Promise.all(pending);
    const first = scripts.filter((s) => s.phase === 'start page');
    const firstGzip = first.reduce((n, s) => n + gzipSync(s.body).length, 0);
    const firstRaw = first.reduce((n, s) => n + s.body.length, 0);

    phase = 'report started';
    await page.getByRole('link', { name: 'Start now' }).click();
    await waitForHeading(page, 'What is your concern about?');
    // (networkidle was already reached on the start page, so wait for the chunk itself.)
    await sodiumArrives(page, 15_000).catch(() => null);
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    const later = scripts.filter((s) => s.phase !== 'start page');

    const name = (u: string) => new URL(u).pathname;
    const isSodium = (s: { body: Buffer }) => hasSodium(s.body);
    console.log('Start page, first-load JavaScript (gzip, zlib default level):');
    for (const s of first) console.log(`  ${name(s.url).padEnd(40)} ${kb(s.body.length).padStart(9)} raw  ${kb(gzipSync(s.body).length).padStart(9)} gzip`);
    console.log(`  total: ${kb(firstRaw)} raw, ${kb(firstGzip)} gzip (budget ${BUDGET_KB} KB) → ${firstGzip <= BUDGET_KB * 1024 ? 'within budget' : 'OVER BUDGET'}`);
    console.log('Fetched once a report is started (while the reporter types):');
    for (const s of later) console.log(`  ${name(s.url).padEnd(40)} ${kb(gzipSync(s.body).length).padStart(9)} gzip${isSodium(s) ? '  (libsodium)' : ''}`);
    if (firstGzip > BUDGET_KB * 1024) failed = true;
    if (first.some(isSodium)) {
      console.log('  libsodium is loaded by the start page: it must be a lazy chunk');
      failed = true;
    }
    if (!later.some(isSodium)) console.log('  note: no libsodium chunk seen after starting a report');
    await context.close();

    // 2. "Send report" → token page.
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const p = await ctx.newPage();
      const cryptoLoaded = sodiumArrives(p, 60_000);
      await p.goto(`${portal.url}/`);
      await walkToCheck(p).catch(async (e) => {
        throw new Error(`walk failed on ${p.url()} "${await p.title()}" h1="${await p.textContent('main h1').catch(() => '')}": ${String(e)}`);
      });
      // The crypto chunk has arrived and libsodium is ready, as it would be after minutes of typing.
      await cryptoLoaded;
      await p.evaluate(() => {
        const w = window as unknown as { __sent?: number; __token?: number };
        document.getElementById('send-report')!.addEventListener('keydown', () => (w.__sent = performance.now()), { capture: true });
        new MutationObserver(() => {
          if (w.__token === undefined && document.querySelector('main h1')?.textContent?.trim() === 'Report sent' && document.querySelector('[data-testid=case-token]')) {
            w.__token = performance.now();
          }
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      await p.focus('#send-report');
      await p.keyboard.press('Enter');
      await waitForHeading(p, 'Report sent');
      const ms = await p.evaluate(() => {
        const w = window as unknown as { __sent: number; __token: number };
        return w.__token - w.__sent;
      });
      times.push(ms);
      await ctx.close();
    }
    console.log(`"Send report" → token page in Chromium (${RUNS} runs): median ${median(times).toFixed(0)} ms; runs ${times.map((t) => t.toFixed(0)).join(', ')} ms`);

    // 3. Staff sign-in next to the reporter start page.
    await comparePages(browser, portal.url);
  } finally {
    await browser.close();
    await portal.stop();
  }
  if (failed) process.exitCode = 1;
}

await main();
