// The pure parts of notifications: batch slots and the sending window
// (Europe/London, across a clock change), the SMTP settings check, and the
// mail text.
import { describe, expect, it } from 'vitest';
import { mailConfigFromEnv } from '../src/notifications/config.ts';
import { render } from '../src/notifications/mail.ts';
import { intoWindow, nextBatchSlot, nextDailySlot, nextWeeklySlot, sendAt, type Schedule } from '../src/notifications/schedule.ts';

const at = (iso: string): number => Date.parse(iso);
const HOURLY: Schedule = { batchMinutes: 60, windowStart: 7, windowEnd: 19 };
const ALL_DAY: Schedule = { batchMinutes: 60, windowStart: 0, windowEnd: 24 };

describe('notification schedule', () => {
  it('gives a batch slot strictly after now, at a whole hour, never the moment itself', () => {
    expect(nextBatchSlot(at('2026-09-01T09:20:00Z'), HOURLY)).toBe(at('2026-09-01T10:00:00Z'));
    expect(nextBatchSlot(at('2026-09-01T10:00:00Z'), HOURLY)).toBe(at('2026-09-01T11:00:00Z'));
    expect(nextBatchSlot(at('2026-09-01T09:59:59.999Z'), HOURLY)).toBe(at('2026-09-01T10:00:00Z'));
    for (let ms = at('2026-03-28T00:00:00Z'); ms < at('2026-03-30T00:00:00Z'); ms += 7 * 60_000 + 13_000) {
      const slot = nextBatchSlot(ms, ALL_DAY);
      expect(slot).toBeGreaterThan(ms);
      expect(slot % 3_600_000).toBe(0);
      expect(slot - ms).toBeLessThanOrEqual(3_600_000);
    }
  });

  it('keeps to the window in London time, winter and summer', () => {
    // Winter: London = UTC. 19:30 is outside 07–19: next 07:00 London = 07:00Z.
    expect(intoWindow(at('2026-01-15T19:30:00Z'), HOURLY)).toBe(at('2026-01-16T07:00:00Z'));
    // Summer: London = UTC+1. 06:30Z is 07:30 London: inside.
    expect(intoWindow(at('2026-07-15T06:30:00Z'), HOURLY)).toBe(at('2026-07-15T06:30:00Z'));
    expect(intoWindow(at('2026-07-15T05:30:00Z'), HOURLY)).toBe(at('2026-07-15T06:00:00Z'));
    // Across the spring change (29 March 2026, 01:00Z): Saturday 20:00 London → Sunday 07:00 BST = 06:00Z.
    expect(nextBatchSlot(at('2026-03-28T20:10:00Z'), HOURLY)).toBe(at('2026-03-29T06:00:00Z'));
    // An overnight window, 22–06.
    expect(intoWindow(at('2026-01-15T12:00:00Z'), { batchMinutes: 60, windowStart: 22, windowEnd: 6 })).toBe(at('2026-01-15T22:00:00Z'));
  });

  it('puts digests at the window opening, weekly ones on Mondays, and nothing for "off"', () => {
    expect(nextDailySlot(at('2026-09-01T09:20:00Z'), HOURLY)).toBe(at('2026-09-02T06:00:00Z'));
    expect(nextDailySlot(at('2026-09-02T05:00:00Z'), HOURLY)).toBe(at('2026-09-02T06:00:00Z'));
    expect(nextWeeklySlot(at('2026-09-01T09:20:00Z'), HOURLY)).toBe(at('2026-09-07T06:00:00Z'));
    expect(sendAt('off', at('2026-09-01T09:20:00Z'), HOURLY)).toBeNull();
    expect(sendAt('immediate', at('2026-09-01T09:20:00Z'), HOURLY)).toBe(at('2026-09-01T09:20:00Z'));
  });
});

describe('SMTP settings from the environment', () => {
  const good = { SMTP_HOST: 'smtp.force.example', MAIL_FROM: 'rc@force.example', PORTAL_URL: 'https://rc.force.example/some/path' };

  it('reads good values, with defaults', () => {
    expect(mailConfigFromEnv({})).toBeNull();
    expect(mailConfigFromEnv(good)).toEqual({
      host: 'smtp.force.example', port: 587, tls: 'starttls', user: null, password: null, from: 'rc@force.example', portalUrl: 'https://rc.force.example',
      intervalMs: 30_000,
    });
    expect(mailConfigFromEnv({ ...good, NOTIFY_INTERVAL_SECONDS: '1' })).toMatchObject({ intervalMs: 1000 });
    expect(mailConfigFromEnv({ ...good, SMTP_TLS: 'implicit', SMTP_USER: 'u', SMTP_PASSWORD: 'p' })).toMatchObject({ port: 465, user: 'u', password: 'p' });
  });

  it.each([
    [{ MAIL_FROM: 'rc@force.example' }, /SMTP_HOST/],
    [{ ...good, SMTP_PORT: '70000' }, /SMTP_PORT must be a whole number/],
    [{ ...good, SMTP_PORT: '25x' }, /SMTP_PORT/],
    [{ ...good, SMTP_TLS: 'yes' }, /SMTP_TLS must be/],
    [{ ...good, SMTP_USER: 'u' }, /set together/],
    [{ ...good, SMTP_TLS: 'none', SMTP_USER: 'u', SMTP_PASSWORD: 'p' }, /in clear/],
    [{ ...good, MAIL_FROM: 'Portal <rc@force.example>' }, /MAIL_FROM/],
    [{ ...good, PORTAL_URL: 'ftp://x' }, /PORTAL_URL/],
    [{ ...good, SMTP_HOST: 'bad host' }, /SMTP_HOST must be/],
    [{ ...good, NOTIFY_INTERVAL_SECONDS: '0' }, /NOTIFY_INTERVAL_SECONDS must be a whole number/],
    [{ ...good, NOTIFY_INTERVAL_SECONDS: '1.5' }, /NOTIFY_INTERVAL_SECONDS/],
    [{ ...good, NOTIFY_INTERVAL_SECONDS: '3601' }, /NOTIFY_INTERVAL_SECONDS/],
    [{ NOTIFY_INTERVAL_SECONDS: '5' }, /NOTIFY_INTERVAL_SECONDS is set but SMTP_HOST is not/],
  ])('refuses %o with one clear line', (env, message) => {
    let err: unknown;
    try { mailConfigFromEnv(env); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('notification mail text', () => {
  it('says only what kind, how many, and where to sign in, in plain ASCII', () => {
    const m = render('work', { new_case: 2, reporter_message: 1, unknown_key: 9 }, 'https://portal.example/triage/sign-in');
    expect(m.subject).toBe('Raising concerns: new work in your inbox');
    expect(m.text).toBe([
      'There is new work for you in the raising-concerns portal.', '',
      "- New cases in your team's inbox: 2", '- New messages from reporters: 1', '',
      'Sign in to see it: https://portal.example/triage/sign-in', '',
      'This message says nothing about any case, by design. Do not reply to it.', '',
    ].join('\n'));
    expect(/^[\x20-\x7e\n]*$/.test(m.text + m.subject)).toBe(true);
  });
});
