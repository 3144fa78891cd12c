// Part 3 of `npm run bench:client`: the staff sign-in page next to the reporter
// start page, as a phone on a slow connection would load them. Printed, never
// asserted (timings on a shared two-core machine vary).
//   - first-load JS and CSS, gzip-compressed (zlib default level), fetched
//     before the visitor does anything;
//   - largest contentful paint and cumulative layout shift, from the browser's
//     own PerformanceObserver entries, with CDP CPU throttling ×4 and network
//     emulation (1.6 Mbps down, 750 Kbps up, 150 ms round trip: Lighthouse's
//     "slow 4G"); median of 3 cold loads;
//   - Lighthouse's mobile performance score (simulated throttling), if the
//     `lighthouse` package is installed (a devDependency; skipped otherwise).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { CHROMIUM } from './support/browser.ts';
import { REPO, waitForHeading } from './support/portal.ts';

const PAGES = [
  { name: 'reporter start page', path: '/', heading: 'Raise a concern about someone in your force' },
  { name: 'staff sign-in page', path: '/triage/sign-in', heading: 'Sign in to the triage service' },
] as const;
const RUNS = 3;
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Load {
  jsGzip: number;
  cssGzip: number;
  files: string[];
  lcp: number;
  cls: number;
}

async function coldLoad(browser: Browser, url: string, heading: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    w.__lcp = 0;
    w.__cls = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) w.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const bodies: Array<Promise<{ url: string; css: boolean; gzip: number }>> = [];
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (type !== 'script' && type !== 'stylesheet') return;
    bodies.push(r.body().then((b) => ({ url: new URL(r.url()).pathname, css: type === 'stylesheet', gzip: gzipSync(b).length })));
  });
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  await waitForHeading(page, heading);
  // Everything the page fetches by itself before anyone touches it (the old sign-in page fetched libsodium here).
  await page.waitForLoadState('networkidle', { timeout: 120_000 });
  const files = await Promise.all(bodies);
  const m = await page.evaluate(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    return { lcp: w.__lcp, cls: w.__cls };
  });
  await context.close();
  return {
    jsGzip: files.filter((f) => !f.css).reduce((n, f) => n + f.gzip, 0),
    cssGzip: files.filter((f) => f.css).reduce((n, f) => n + f.gzip, 0),
    files: files.map((f) => `${f.url} ${kb(f.gzip)}`),
    lcp: m.lcp,
    cls: m.cls,
  };
}

const run = promisify(execFile);

/** Lighthouse's own mobile run (simulated slow 4G, CPU ÷4) of one URL: the performance score, LCP and CLS. */
async function lighthouse(url: string): Promise<string> {
  const bin = join(REPO, 'node_modules', '.bin', 'lighthouse');
  if (!existsSync(bin)) return 'skipped (the lighthouse package is not installed)';
  const { stdout } = await run(
    bin,
    [url, `--chrome-path=${CHROMIUM}`, '--chrome-flags=--headless --no-sandbox --disable-gpu', '--only-categories=performance', '--output=json', '--output-path=stdout', '--quiet'],
    { maxBuffer: 64 * 1024 * 1024, timeout: 180_000 },
  );
  const r = JSON.parse(stdout) as { categories: { performance: { score: number } }; audits: Record<string, { displayValue?: string }> };
  const a = (id: string) => r.audits[id]?.displayValue ?? '?';
  return `score ${Math.round(r.categories.performance.score * 100)} (LCP ${a('largest-contentful-paint')}, CLS ${a('cumulative-layout-shift')}, TBT ${a('total-blocking-time')}, FCP ${a('first-contentful-paint')})`;
}

export async function comparePages(browser: Browser, base: string): Promise<void> {
  console.log(`Phone on slow 4G (CPU ÷4, 1.6 Mbps, 150 ms RTT), cold loads, median of ${RUNS}:`);
  for (const p of PAGES) {
    const loads: Load[] = [];
    for (let i = 0; i < RUNS; i++) loads.push(await coldLoad(browser, `${base}${p.path}`, p.heading));
    const first = loads[0]!;
    console.log(
      `  ${p.name.padEnd(20)} first-load JS ${kb(first.jsGzip).padStart(9)} + CSS ${kb(first.cssGzip).padStart(8)} gzip;` +
        `  LCP ${median(loads.map((l) => l.lcp)).toFixed(0)} ms;  CLS ${median(loads.map((l) => l.cls)).toFixed(3)}`,
    );
    console.log(`    files: ${first.files.join(', ')}`);
  }
  for (const p of PAGES) {
    const score = await lighthouse(`${base}${p.path}`).catch((e: unknown) => `failed: ${String(e).split('\n')[0]}`);
    console.log(`  Lighthouse mobile, ${p.name}: ${score}`);
  }
}
