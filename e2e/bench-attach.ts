// npm run bench:attach — memory while a reporter's browser seals and uploads
// one 100 MiB attachment (a video: the largest file, and the most one case
// holds; `-- 25` for another size in MiB, to compare), through the real built
// client in Chromium. Prints the tab's JS heap (CDP Performance.getMetrics,
// JSHeapUsedSize) before, at its peak while sending, and after, plus the time
// taken. Prints, never asserts. The file is made in the page as a Blob (not
// JS heap) and handed to the real file input, so what is measured is the
// client reading it with Blob.slice, sealing, sending and dropping each 64 KiB
// chunk: the peak should be a few chunks above the start, whatever the file's
// size. Needs `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer } from '../seeds/demo-server.ts';
import { launch } from './support/browser.ts';

/** `npm run bench:attach -- 25` measures a smaller file, to compare: the peak should not move with the size. */
const FILE_MIB = Math.min(100, Math.max(1, Number(process.argv[2] ?? 100) || 100));
const MiB = 1024 * 1024;
const mb = (n: number) => `${(n / MiB).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-attach-'));
  const server = await startDemoServer({ dbFile: join(dir, 'bench.sqlite') });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    };
    const next = () => page.getByRole('button', { name: 'Continue' }).click();
    await page.goto(`${server.url}/report/category`);
    await page.locator('#category-bullying').check();
    await next();
    await page.locator('#unit-nw-response-camden').check();
    await next();
    await page.waitForURL(/own-unit/);
    await page.locator('#avoidOwnUnit').check();
    await next();
    await page.locator('#narrative').fill('Benchmark report with one large video.');
    for (const step of ['when', 'where', 'people', 'witnesses', 'about-you']) {
      await next();
      await page.waitForURL(new RegExp(`/report/${step}$`));
    }
    await page.locator('#mode').check();
    await next();
    await page.waitForURL(/\/report\/check$/);
    await page.getByRole('link', { name: /Change\s+files/ }).click();
    await page.locator('#files').waitFor();
    // One 100 MiB MP4-typed file built from one 64 KiB piece: Blob storage, not the JS heap.
    await page.evaluate((mib) => {
      const piece = new Uint8Array(65536).map((_, i) => 32 + (i % 90));
      const dt = new DataTransfer();
      dt.items.add(new File(Array.from({ length: mib * 16 }, () => piece), 'big.mp4', { type: 'video/mp4' }));
      const input = document.getElementById('files') as HTMLInputElement;
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, FILE_MIB);
    await page.locator('.app-file-list .govuk-summary-list__row').first().waitFor();
    await next();
    await page.waitForURL(/\/report\/check$/);
    await cdp.send('HeapProfiler.collectGarbage');
    const before = await heap();
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await heap());
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const started = performance.now();
    await page.locator('#send-report').click();
    await page.getByTestId('case-token').waitFor({ timeout: 30 * 60_000 });
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await heap();
    const stored = await server.handle.db.selectFrom('attachment_chunks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    console.log(`Sealed and uploaded one ${mb(FILE_MIB * MiB)} file in ${seconds.toFixed(1)} s (${(FILE_MIB / seconds).toFixed(1)} MiB/s); ${String(stored?.n)} chunks stored.`);
    console.log('JS heap (JSHeapUsedSize):');
    console.log(`  before  ${mb(before)}`);
    console.log(`  peak    ${mb(peak)}  (+${mb(peak - before)} while sending)`);
    console.log(`  after   ${mb(after)}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
