// Issue 15's acceptance, end to end: a report sent from Chromium's reporter
// journey produces, at the next batch slot (the production default: the next
// whole hour), one mail to each member of the routed team, and to nobody
// else, over a real SMTP server. Nothing goes out at the moment of the
// submission, and no mail holds a word of the report, its category, unit or
// reference. The server's clock is moved to the slot rather than waiting.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted } from '../seeds/demo-server.ts';
import { TestSmtp } from '../server/test/smtp.ts';
import { launch, needChromium } from './support/browser.ts';

const HOUR = 3_600_000;
const WORDS = {
  narrative: 'Inspector Fenwhistle blocked my transfer after I declined his invitation',
  when: 'Last Tuesday at the Marlowmere briefing',
  where: 'The Camden parade room',
  people: 'Inspector Fenwhistle',
  witnesses: 'Constable Ashgrove saw it',
};
const LABELS = ['Bullying', 'Response team, Camden', 'Camden', 'North West'];

describe.runIf(needChromium())('a report sent in Chromium notifies its team at the next batch', () => {
  const smtp = new TestSmtp();
  let server: DemoStarted;
  let browser: Browser;
  let dir: string;
  let offset = 0;
  const now = (): number => Date.now() + offset;
  /** The "new work" mails: the scheduled summaries that moving the clock may also reach are not about this report. */
  const work = () => smtp.received.filter((m) => m.subject === 'Raising concerns: new work in your inbox');

  beforeAll(async () => {
    if (!existsSync('client/dist/index.html')) throw new Error('client/dist is missing: run `npm run build` first (npm test does)');
    await smtp.start();
    dir = mkdtempSync(join(tmpdir(), 'rc-e2e-notify-'));
    server = await startDemoServer({
      dbFile: join(dir, 'notify.sqlite'),
      demoMail: true,
      now,
      notifications: { transport: smtp.transport(), from: 'rc@force.example', signInUrl: 'https://portal.example/triage/sign-in', intervalMs: 200 },
    });
    // The demo batches every minute; this test checks the production default (the next whole hour),
    // sending all day so that the hour the suite runs at does not matter.
    await server.handle.db.deleteFrom('settings').where('key', '=', 'notifications.batch_minutes').execute();
    // Just past a whole hour on the server's clock: the next slot is an hour away, never during the journey below.
    offset = Math.ceil(Date.now() / HOUR) * HOUR + 1000 - Date.now();
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends one mail to each member of the routed team, at the slot, saying nothing of the report', { timeout: 120_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    const next = () => page.getByRole('button', { name: 'Continue' }).click();
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Start now' }).click();
    await page.locator('#category-bullying').check();
    await next();
    await page.locator('#unit-nw-response-camden').check();
    await next();
    await expect.poll(() => page.url()).toContain('/report/own-unit');
    await page.locator('#avoidOwnUnit').check(); // the first choice: their command's PSU, the North West BCU's
    await next();
    for (const [id, text] of Object.entries(WORDS)) {
      await page.locator(`#${id}`).fill(text);
      await next();
    }
    await page.locator('#mode').check();
    await next();
    await expect.poll(() => page.url()).toContain('/report/check');
    await page.locator('#send-report').click();
    await page.getByTestId('case-token').waitFor({ timeout: 20_000 });
    const caseRef = (await page.getByTestId('case-ref').innerText()).trim();
    const sentAt = now();

    const db = server.handle.db;
    const kase = await db.selectFrom('cases').select(['team_id']).where('case_ref', '=', caseRef).executeTakeFirstOrThrow();
    const members = await db.selectFrom('team_members').innerJoin('staff', 'staff.id', 'team_members.staff_id')
      .select(['staff.email']).where('team_members.team_id', '=', kase.team_id).where('staff.email', 'is not', null)
      .where('staff.deactivated_on', 'is', null).execute();
    const expected = members.map((m) => m.email!).sort();
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const everyone = (await db.selectFrom('staff').select('email').where('email', 'is not', null).execute()).map((s) => s.email!);
    expect(everyone.length).toBeGreaterThan(expected.length); // there is somebody else who must not be mailed

    // Not at the moment of submission: many sender passes go by with nothing sent.
    await new Promise((r) => setTimeout(r, 1500));
    expect(work()).toEqual([]);

    // The next whole hour (London hours are whole UTC hours apart): the batch goes out.
    offset = Math.ceil(sentAt / HOUR) * HOUR + 1000 - Date.now();
    expect(offset).toBeGreaterThan(HOUR / 2); // the clock really moved to the next slot
    await expect.poll(() => work().length, { timeout: 20_000 }).toBe(expected.length);
    await new Promise((r) => setTimeout(r, 1000)); // further passes send nothing more
    expect(work().flatMap((m) => m.to).sort()).toEqual(expected);
    // Whatever else goes out (the leads' Monday summary, a daily digest, depending on the day) holds no word of it either.
    for (const m of smtp.received) {
      for (const word of [...Object.values(WORDS), ...LABELS, caseRef, caseRef.slice(3)]) expect(m.raw).not.toContain(word);
    }
    for (const m of work()) {
      expect(m.subject).toBe('Raising concerns: new work in your inbox');
      expect(m.body).toContain("New cases in your team's inbox: 1");
      expect(m.body).toContain('https://portal.example/triage/sign-in');
      for (const word of [...Object.values(WORDS), ...LABELS, caseRef, caseRef.slice(3)]) {
        expect(m.raw).not.toContain(word);
      }
    }
  });
});
