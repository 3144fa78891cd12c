// Files added to a case that exists, in Chromium: on the reporter's follow-up
// page and by an officer on the case page. Both must show what the report
// journey shows before anything is sealed (the limits, what hidden details
// were found and removed, "send the original" with its warning, files that
// cannot be cleaned flagged, refusals), and both must remove the metadata in
// the browser: an officer's JPEG with GPS reaches the reporter without it.
// axe (0 violations) and reflow at desktop and 320 px on every state; the
// reporter adds and sends a file with the keyboard alone.
import { readFileSync } from 'node:fs';
import exifr from 'exifr';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../shared/src/crypto/index.ts';
import { AUTHOR, pdfWithMetadata, tinyJpeg, withJpegMetadata } from './fixtures/metadata.ts';
import { launch, needChromium } from './support/browser.ts';
import { byId, byText, pickFilesWithSpace, startPortal, tabTo, type Focused, type Portal } from './support/portal.ts';
import { auditLayouts } from './support/reflow.ts';
import { signIn } from './support/staff.ts';

const OFFICER = 'nw-bcu-psu-1';
const GPS_JPEG = () => Buffer.from(withJpegMetadata(tinyJpeg()));
const EXIF_WORDS = 'EXIF (camera, date, GPS location, serial numbers)';
const KEEP_WARNING = 'Only keep it if these details are evidence';
/** The row of a cleaned photo: what was removed, the GPS-bearing EXIF among it. */
const expectRemoved = (text: string) => {
  expect(text).toContain('We removed these hidden details:');
  expect(text).toContain(EXIF_WORDS);
};

describe.runIf(needChromium())('files added to an open case, reporter and staff', () => {
  let portal: Portal;
  let browser: Browser;
  let reporterContext: BrowserContext;
  let reporter: Page;
  let reporterCdp: CDPSession;
  let caseRef = '';

  beforeAll(async () => {
    await ready();
    portal = await startPortal('attach-case');
    browser = await launch();
    reporterContext = await browser.newContext({ acceptDownloads: true, viewport: { width: 1024, height: 768 } });
    reporter = await reporterContext.newPage();
    reporterCdp = await reporterContext.newCDPSession(reporter);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** Signs in to the follow-up page with the first demo case's token (nothing is kept between visits). */
  async function openCase(): Promise<void> {
    await reporter.goto(`${portal.url}/case`);
    await reporter.locator('#token').fill(portal.demoTokens[0]!);
    await reporter.getByRole('button', { name: 'Continue' }).click();
    await reporter.getByTestId('case-ref').waitFor({ timeout: 20_000 });
    caseRef = (await reporter.getByTestId('case-ref').innerText()).trim();
  }

  /** Hands files made in the page (Blob storage: a 26 MiB file need not cross the wire) to a file input. */
  async function chooseInPage(page: Page, input: string, files: { name: string; type: string; mib: number }[]): Promise<void> {
    await page.evaluate(([sel, list]) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([new Uint8Array(f.mib * 1024 * 1024 + 1)], f.name, { type: f.type }));
      const el = document.getElementById(sel) as HTMLInputElement;
      el.files = dt.files;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, [input, files] as const);
  }

  const audit = async (page: Page, cdp: CDPSession, name: string) => expect(await auditLayouts(page, cdp, 'attachments-case', name)).toEqual([]);
  const row = (page: Page, name: string) => page.locator('.app-file-list .govuk-summary-list__row', { hasText: name });

  it('the reporter adds a photo with GPS and sends it with the keyboard alone; it is stored without the GPS', async () => {
    await openCase();
    await reporter.getByRole('heading', { name: 'Files', level: 2 }).waitFor();
    // The limits are said before anything is chosen.
    const hint = await reporter.locator('#more-files-hint').innerText();
    expect(hint).toContain('Photos, PDFs, text, Word, Excel and PowerPoint files must each be smaller than 25 MB; audio and video files smaller than 100 MB');
    expect(hint).toContain('All the files of one case together must be smaller than 100 MB');

    const invisible: Focused[] = [];
    await tabTo(reporter, byId('more-files'), { max: 120, invisible });
    // Space on a file input opens the system's file picker; the test answers it as a person would.
    await pickFilesWithSpace(reporter, [{ name: 'corridor.jpg', mimeType: 'image/jpeg', buffer: GPS_JPEG() }]);
    await row(reporter, 'corridor.jpg').waitFor();
    expect(await row(reporter, 'corridor.jpg').innerText()).toContain(EXIF_WORDS);
    await tabTo(reporter, byText('Send files'), { invisible });
    await reporter.keyboard.press('Enter');
    await reporter.getByRole('button', { name: 'Download corridor.jpg' }).waitFor({ timeout: 30_000 });
    expect(await reporter.locator('#more-files-status').innerText()).toContain('corridor.jpg has been sent');
    expect(invisible, `focus not visible on: ${JSON.stringify(invisible)}`).toEqual([]);
    expect(await reporter.locator('.app-file-list').count()).toBe(0);

    const [d] = await Promise.all([reporter.waitForEvent('download'), reporter.getByRole('button', { name: 'Download corridor.jpg' }).click()]);
    const back = readFileSync((await d.path()) as string);
    expect(back.equals(Buffer.from(tinyJpeg()))).toBe(true);
    expect(await exifr.parse(back, { gps: true, xmp: true, iptc: true })).toBeUndefined();
  }, 120_000);

  it('shows a wrong type and a too-large photo as errors, before anything is sent', async () => {
    await chooseInPage(reporter, 'more-files', [
      { name: 'tool.exe', type: 'application/x-msdownload', mib: 0 },
      { name: 'huge.jpg', type: 'image/jpeg', mib: 25 },
    ]);
    const error = reporter.locator('#more-files-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('tool.exe must be a photo, PDF, text, Word, Excel, PowerPoint, audio or video file');
    expect(await error.innerText()).toContain('huge.jpg must be smaller than 25 MB');
    expect(await reporter.locator('#more-files').getAttribute('aria-describedby')).toBe('more-files-hint more-files-error');
    expect(await reporter.locator('.app-file-list').count()).toBe(0);
    await audit(reporter, reporterCdp, 'reporter-error');
  }, 120_000);

  it('lists chosen files with what was removed, the kept original’s warning and a file that cannot be cleaned', async () => {
    await reporter.locator('#more-files').setInputFiles([
      { name: 'scene.jpg', mimeType: 'image/jpeg', buffer: GPS_JPEG() },
      { name: 'rota.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdfWithMetadata()) },
    ]);
    await row(reporter, 'rota.pdf').waitFor();
    expect(await reporter.locator('#more-files-error').count()).toBe(0);
    expectRemoved(await row(reporter, 'scene.jpg').innerText());
    expect(await row(reporter, 'rota.pdf').innerText()).toContain('Author name');
    await audit(reporter, reporterCdp, 'reporter-removed');

    await row(reporter, 'scene.jpg').getByLabel('Send the original file, with these details').check();
    expect(await row(reporter, 'scene.jpg').innerText()).toContain(KEEP_WARNING);
    await audit(reporter, reporterCdp, 'reporter-keep-original');

    await reporter.locator('#more-files').setInputFiles({ name: 'call.mp4', mimeType: 'video/mp4', buffer: Buffer.from('not really a video') });
    await row(reporter, 'call.mp4').waitFor();
    expect(await row(reporter, 'call.mp4').innerText()).toContain('We cannot remove hidden details from video files');
    await audit(reporter, reporterCdp, 'reporter-uncleanable');
  }, 120_000);

  it('an officer’s photo is cleaned in their browser before sealing; the reporter downloads it without the GPS', async () => {
    const staffContext = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const staff = await staffContext.newPage();
    const cdp = await staffContext.newCDPSession(staff);
    await signIn(staff, portal.url, OFFICER, 'Cases');
    await staff.locator(`main a[href="/triage/case/${caseRef}"]:visible`).first().click();
    await staff.locator('#knows-people-no, #staff-file').first().waitFor({ timeout: 20_000 });
    if (await staff.locator('#knows-people-no').count()) {
      await staff.locator('#knows-people-no').check();
      await staff.getByRole('button', { name: 'Continue' }).click();
    }
    await staff.getByRole('heading', { name: 'Files', level: 2 }).waitFor({ timeout: 20_000 });
    expect(await staff.locator('#staff-file-hint').innerText()).toContain('audio and video files smaller than 100 MB');

    await chooseInPage(staff, 'staff-file', [{ name: 'tool.exe', type: 'application/x-msdownload', mib: 0 }]);
    await staff.locator('#staff-file-error').waitFor();
    expect(await staff.locator('#staff-file-error').innerText()).toContain('tool.exe must be a photo');
    await audit(staff, cdp, 'staff-error');

    await staff.locator('#staff-file').setInputFiles([
      { name: 'from-officer.jpg', mimeType: 'image/jpeg', buffer: GPS_JPEG() },
      { name: 'interview.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('not really audio') },
    ]);
    await row(staff, 'interview.mp3').waitFor();
    expect(await staff.locator('#staff-file-error').count()).toBe(0);
    expectRemoved(await row(staff, 'from-officer.jpg').innerText());
    expect(await row(staff, 'interview.mp3').innerText()).toContain('We cannot remove hidden details from audio files');
    await audit(staff, cdp, 'staff-removed');
    const keep = row(staff, 'from-officer.jpg').getByLabel('Send the original file, with these details');
    await keep.check();
    expect(await row(staff, 'from-officer.jpg').innerText()).toContain(KEEP_WARNING);
    await audit(staff, cdp, 'staff-keep-original');

    // Sent cleaned: the original unticked, the audio file removed.
    await keep.uncheck();
    await staff.getByRole('button', { name: 'Remove interview.mp3' }).click();
    await staff.getByRole('button', { name: 'Add files', exact: true }).click();
    await staff.locator('main .govuk-notification-banner--success', { hasText: 'from-officer.jpg has been added to the case.' }).waitFor({ timeout: 30_000 });
    await staffContext.close();

    // Nothing of the file's metadata reached the server.
    for (const c of await portal.handle.db.selectFrom('attachment_chunks').select('data').execute()) {
      for (const s of ['Exif', AUTHOR]) expect(Buffer.from(c.data).includes(s)).toBe(false);
    }

    await openCase();
    const download = reporter.getByRole('button', { name: 'Download from-officer.jpg' });
    await download.waitFor({ timeout: 20_000 });
    expect(await reporter.locator('main').innerText()).toMatch(/from-officer\.jpg \(\d+ KB\), from the team/);
    const [d] = await Promise.all([reporter.waitForEvent('download'), download.click()]);
    const back = readFileSync((await d.path()) as string);
    expect(back.equals(Buffer.from(tinyJpeg()))).toBe(true);
    expect(await exifr.parse(back, { gps: true, xmp: true, iptc: true })).toBeUndefined();
  }, 180_000);
});
