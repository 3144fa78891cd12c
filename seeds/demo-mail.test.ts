// The demo's mail capture (issue 15: "in demo mode, mail goes to a local capture
// that the demo can show"): the demo server started as `npm start` starts it,
// a report filed over HTTP, and at the next one-minute demo batch the capture
// holds and prints one mail per addressed member of the routed team, saying
// nothing of the case. No mail server is involved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../e2e/support/staff.ts';
import { startDemoServer, type DemoStarted } from './demo-server.ts';
import { DEMO_MAIL_FROM, demoAddress, demoMailCapture } from './demo-mail.ts';

const MINUTE = 60_000;
const NARRATIVE = 'Sergeant Oakhollow mocked my accent in front of the shift';

describe('the demo captures staff mail instead of sending it', () => {
  const printed: string[] = [];
  const capture = demoMailCapture((text) => printed.push(text));
  let server: DemoStarted;
  let dir: string;
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const work = () => capture.mails.filter((m) => m.subject === 'Raising concerns: new work in your inbox');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-demo-mail-'));
    server = await startDemoServer({
      dbFile: join(dir, 'demo.sqlite'),
      demoMail: true,
      now,
      notifications: { transport: capture, from: DEMO_MAIL_FROM, signInUrl: 'http://127.0.0.1:3000/triage/sign-in', intervalMs: 100 },
    });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds and prints one mail per team member at the next demo batch, with nothing of the case', async () => {
    // Just past a whole minute on the server's clock, so the next batch is a minute away, never during the checks below.
    offset = Math.ceil(Date.now() / MINUTE) * MINUTE + 1000 - Date.now();
    const caseRef = await fileReport(server.url, 'bullying', 'nw-response-camden', NARRATIVE);
    await new Promise((r) => setTimeout(r, 500));
    expect(work()).toEqual([]); // never at the moment of the report

    offset = Math.ceil(now() / MINUTE) * MINUTE + 1000 - Date.now();
    const team = ['nw-bcu-psu-1', 'nw-bcu-psu-2', 'nw-bcu-psu-lead'].map(demoAddress).sort();
    await expect.poll(() => work().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(team.length);
    await new Promise((r) => setTimeout(r, 500));
    expect(work().map((m) => m.to).sort()).toEqual(team);
    // Every captured mail is printed (a scheduled summary too, if the clock reached one).
    expect(printed).toHaveLength(capture.mails.length);
    expect(printed.filter((p) => p.includes('Subject: Raising concerns: new work in your inbox'))).toHaveLength(team.length);
    for (const text of printed) {
      expect(text).toContain('DEMO ONLY mail captured (not sent)');
      expect(text).not.toContain(caseRef);
      expect(text).not.toContain('Oakhollow');
      expect(text).not.toContain('Bullying');
    }
  });
});
