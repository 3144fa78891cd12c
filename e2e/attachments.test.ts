// Attachments end to end in Chromium: a reporter adds a JPEG with GPS, a PDF
// with an author, a PNG whose original they keep, and a text file whose
// upload is cut off halfway and resumes; the report is sent; the database
// holds only ciphertext; a staff member opens each file in their browser and
// finds none of the removed metadata (and all of it in the kept original).
// axe on the new page, its error state and the staff case page; the files
// page is driven with the keyboard.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted as Started } from '../seeds/demo-server.ts';
import { ready } from '../shared/src/crypto/index.ts';
import { AUTHOR, CAMERA, SERIAL, pdfWithMetadata, pngWithMetadata, tinyJpeg, withJpegMetadata } from './fixtures/metadata.ts';
import { expectAccessible } from './support/accessible.ts';
import { launch, needChromium } from './support/browser.ts';
import { signIn } from './support/staff.ts';

const NARRATIVE = 'Inspector Hollowmere altered the duty rota after the incident';
const TEXT = `${'Rota line for Tollingham station, shift B. '.repeat(8000)}`; // ~340 KB: 8 chunks

describe.runIf(needChromium())('attachments in Chromium', () => {
  let server: Started;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let caseRef = '';
  let cutOnce = true;
  const puts: string[] = [];

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    await ready();
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-attach-'));
    server = await startDemoServer({ dbFile: join(dir, 'e2e.sqlite') });
    browser = await launch();
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
    // The network drops once, halfway through the text file (its fourth chunk): the upload must resume.
    await page.route('**/api/v1/uploads/*/chunks/3', async (route) => {
      puts.push(route.request().url());
      if (cutOnce && route.request().method() === 'PUT') {
        cutOnce = false;
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const next = () => page.getByRole('button', { name: 'Continue' }).click();

  it('adds files on the Add files page, with limits shown, errors, what was removed and a kept original', async () => {
    await page.goto(`${server.url}/report/category`);
    await page.locator('#category-bullying').check();
    await next();
    await page.locator('#unit-nw-response-camden').check();
    await next();
    await expect.poll(() => page.url()).toContain('/report/own-unit');
    await page.locator('#avoidOwnUnit').check(); // the first choice: send it to the command's PSU
    await next();
    await page.locator('#narrative').fill(NARRATIVE);
    for (const step of ['when', 'where', 'people', 'witnesses', 'about-you']) {
      await next();
      await expect.poll(() => page.url()).toContain(`/report/${step}`);
    }
    await page.locator('#mode').check(); // stay anonymous
    await next();
    await expect.poll(() => page.url()).toContain('/report/check');
    await page.getByRole('link', { name: /Change\s+files/ }).click();
    await page.getByRole('heading', { name: 'Add files (optional)' }).waitFor();
    expect(await page.locator('#files-hint').innerText()).toContain('up to 10 files at a time. Photos, PDFs, text, Word, Excel and PowerPoint files must each be smaller than 25 MB; audio and video files smaller than 100 MB');
    await expectAccessible(page);

    // A program is refused with a GOV.UK error, which is accessible too.
    await page.locator('#files').setInputFiles({ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('#files-error').innerText()).toContain('tool.exe must be a photo, PDF');
    await expectAccessible(page);

    await page.locator('#files').setInputFiles([
      { name: 'scene.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(withJpegMetadata(tinyJpeg())) },
      { name: 'rota.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdfWithMetadata()) },
      { name: 'screen.png', mimeType: 'image/png', buffer: Buffer.from(pngWithMetadata()) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(TEXT) },
    ]);
    const list = page.locator('.app-file-list');
    await expect.poll(() => list.locator('.govuk-summary-list__row').count()).toBe(4);
    const text = await list.innerText();
    expect(text).toContain('EXIF (camera, date, GPS location, serial numbers)');
    expect(text).toContain('Author name');
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);

    // Keyboard only: Tab to the PNG's "send the original" box, Space ticks it; the warning appears.
    const keep = page.locator('.govuk-summary-list__row', { hasText: 'screen.png' }).locator('input[type=checkbox]');
    const id = await keep.getAttribute('id');
    for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement?.id)) !== id; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => keep.isChecked()).toBe(true);
    expect(await page.locator('.govuk-summary-list__row', { hasText: 'screen.png' }).innerText()).toContain('Only keep it if these details are evidence');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Continue' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('/report/check');
  }, 90_000);

  it('sends the report only after every file is stored, resuming the one cut off halfway', async () => {
    expect(await page.locator('main').innerText()).toContain('notes.txt');
    await page.locator('#send-report').click();
    await page.getByTestId('case-token').waitFor({ timeout: 60_000 });
    caseRef = (await page.getByTestId('case-ref').innerText()).trim();
    // A signed receipt for each file, named by the file (the name never left the browser), beside the report's.
    await page.getByRole('heading', { name: 'Receipts for your files', level: 2 }).waitFor();
    for (const name of ['scene.jpg', 'rota.pdf', 'screen.png', 'notes.txt']) {
      await page.getByRole('heading', { name: `Receipt for ${name}`, level: 3 }).waitFor();
    }
    expect(await page.getByTestId('receipt-attachment').count()).toBe(4);
    await expectAccessible(page);
    // Chunk 3 of the text file was attempted twice: cut, then stored after the wait.
    expect(cutOnce).toBe(false);
    expect(puts.length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('keeps only ciphertext in the database', async () => {
    const db = server.handle.db;
    const uploads = await db.selectFrom('uploads').selectAll().execute();
    expect(uploads).toHaveLength(4);
    expect(uploads.every((u) => u.state === 'complete' && u.case_id !== null)).toBe(true);
    const rows = JSON.stringify(uploads);
    for (const s of ['scene.jpg', 'rota.pdf', 'screen.png', 'notes.txt', 'image/', AUTHOR]) expect(rows).not.toContain(s);
    const chunks = await db.selectFrom('attachment_chunks').select('data').execute();
    expect(chunks.length).toBe(1 + 1 + 1 + 8);
    for (const c of chunks) {
      const b = Buffer.from(c.data);
      for (const s of [AUTHOR, SERIAL, CAMERA, 'Tollingham', '%PDF', 'IHDR', 'Exif']) expect(b.includes(s)).toBe(false);
    }
    const file = readFileSync(server.handle.file as string);
    for (const s of [AUTHOR, SERIAL, 'Tollingham station']) expect(file.includes(s)).toBe(false);
  });

  it('a staff member opens the files: the picture shows, the rest download, without the removed metadata', async () => {
    await signIn(page, server.url, 'nw-bcu-psu-1', 'Cases');
    await page.locator(`main a[href="/triage/case/${caseRef}"]:visible`).first().click();
    await page.locator('#knows-people-no').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Files' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('table.govuk-table', { hasText: 'scene.jpg' }).count()).toBe(1);
    await expectAccessible(page);

    const show = async (name: string): Promise<Buffer> => {
      await page.getByRole('button', { name: `Show ${name}` }).click();
      const img = page.locator('.app-file-preview img');
      await expect.poll(() => img.getAttribute('alt')).toContain(name);
      const src = (await img.getAttribute('src')) ?? '';
      return Buffer.from(src.split(',')[1] ?? '', 'base64');
    };
    const jpeg = await show('scene.jpg');
    expect(jpeg.equals(Buffer.from(tinyJpeg()))).toBe(true);
    expect(await exifr.parse(jpeg, { gps: true, xmp: true, iptc: true })).toBeUndefined();
    // The PNG the reporter kept: its metadata is still there, as they chose.
    const png = await show('screen.png');
    expect(png.includes(AUTHOR)).toBe(true);
    expect(png.equals(Buffer.from(pngWithMetadata()))).toBe(true);

    const download = async (name: string): Promise<Buffer> => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download ${name}` }).click()]);
      expect(d.suggestedFilename()).toBe(name);
      return readFileSync((await d.path()) as string);
    };
    const pdf = await PDFDocument.load(await download('rota.pdf'), { updateMetadata: false });
    expect([pdf.getAuthor(), pdf.getCreator(), pdf.getTitle()]).toEqual([undefined, undefined, undefined]);
    expect(pdf.getPageCount()).toBe(1);
    expect((await download('notes.txt')).toString()).toBe(TEXT);
    await expectAccessible(page);
  }, 90_000);
});
