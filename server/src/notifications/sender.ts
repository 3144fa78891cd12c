// The sender: runs the scheduled jobs, composes due events into mails, and
// delivers them. Several instances may run against one database; each mail is
// claimed by one of them (repository.claimMails) for a lease, and only the
// claim holder can mark it sent.
//
// Delivery is at-least-once, with duplicates made as unlikely as SMTP allows:
// the claim (attempt counted) is written before the SMTP transaction and the
// 'sent' marker right after the server's 250. A mail is sent again only if the
// process dies in the instant between that 250 and the marker; the lease is
// longer than every SMTP timeout, so a live sender never loses its claim
// mid-send. The Message-ID is the mail's id, the same on every attempt, so a
// rare resend is recognisable as one. We prefer that to at-most-once: a lost
// "new work" notice can let a 7-day promise slip unnoticed; a repeat cannot.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { barrierOf } from '../db/durability.ts';
import { parseCounts, render } from './mail.ts';
import { compose, runDaily, runWeekly, type MailGroup } from './outbox.ts';
import * as repo from './repository.ts';
import { dayMark } from './schedule.ts';

/** What the sender needs of a mail transport (nodemailer's Transporter fits). */
export interface MailTransport {
  sendMail(msg: { from: string; to: string; subject: string; text: string; messageId: string; headers: Record<string, string> }): Promise<unknown>;
  close?(): void;
}

export interface SenderOptions {
  transport: MailTransport;
  /** The From address. */
  from: string;
  /** The portal's staff sign-in page: the only link a mail carries. */
  signInUrl: string;
  now?: () => number;
  /** How often the sender wakes (default 30 s). */
  intervalMs?: number;
  /** Claim lease; longer than the transport's timeouts added up (default 2 min). */
  leaseMs?: number;
  batchLimit?: number;
  /** Retry back-off: base doubling per attempt, capped (default 30 s → 15 min). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A mail refused outright (5xx) this many times is marked failed. */
  maxRefusals?: number;
  /** One line per event; never an address or anything of a case. */
  log?: (line: string) => void;
}

export interface TickResult { composed: number; sent: number; retrying: number; dropped: number; failed: number }

// Connection-level failures: the server is unreachable, so the rest of the batch would fail alike.
const UNREACHABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'EAUTH', 'ETLS']);

export class NotificationSender {
  private readonly now: () => number;
  private readonly postgres: boolean;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(private readonly db: Kysely<Database>, private readonly o: SenderOptions) {
    this.now = o.now ?? (() => Date.now());
    this.postgres = isPostgres(db);
  }

  /** One pass: scheduled jobs, compose, deliver. Never throws (a bad pass is logged and retried next time). */
  async tick(): Promise<TickResult> {
    const result: TickResult = { composed: 0, sent: 0, retrying: 0, dropped: 0, failed: 0 };
    try {
      const now = this.now();
      await runDaily(this.db, now);
      await runWeekly(this.db, now);
      result.composed = await compose(this.db, this.postgres, now);
      await this.deliver(result);
    } catch (err) {
      // SQLite: another process composing at the same moment makes ours fail with SQLITE_BUSY; next pass.
      this.log(`notifications: pass failed (${errCode(err)}), will retry`);
    }
    return result;
  }

  private async deliver(result: TickResult): Promise<void> {
    const now = this.now();
    const token = randomBytes(16).toString('base64url');
    const mails = await repo.claimMails(this.db, { token, now, until: now + (this.o.leaseMs ?? 120_000), limit: this.o.batchLimit ?? 50, postgres: this.postgres });
    // SQLite (server): a mail tells of events; they, and the claim, must be on disk before it leaves (db/durability.ts).
    if (mails.length > 0) await barrierOf(this.db)?.wait();
    let unreachable = false;
    for (const m of mails) {
      if (unreachable) {
        await repo.settleMail(this.db, m.id, token, { state: 'pending', nextTryMs: this.now() + this.backoff(m.attempts) });
        result.retrying++;
        continue;
      }
      const to = await repo.addressOf(this.db, m.staff_id);
      if (!to) {
        await repo.settleMail(this.db, m.id, token, { state: 'dropped', dayMs: dayMark(m.slot_ms) });
        result.dropped++;
        continue;
      }
      const { subject, text } = render(m.channel as MailGroup, parseCounts(m.counts), this.o.signInUrl);
      try {
        await this.o.transport.sendMail({
          from: this.o.from, to, subject, text,
          messageId: `<${m.id}@${domainOf(this.o.from)}>`,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      } catch (err) {
        const code = errCode(err);
        const refused = responseCode(err) >= 500;
        unreachable = UNREACHABLE.has(code);
        const giveUp = refused && m.attempts >= (this.o.maxRefusals ?? 3);
        await repo.settleMail(this.db, m.id, token, giveUp
          ? { state: 'failed', dayMs: dayMark(m.slot_ms) }
          : { state: 'pending', nextTryMs: this.now() + this.backoff(m.attempts) });
        if (giveUp) result.failed++; else result.retrying++;
        this.log(`notifications: mail ${m.id} not delivered (${code}${refused ? ', refused' : ''}), ${giveUp ? 'given up' : `attempt ${m.attempts}, will retry`}`);
        continue;
      }
      if (await repo.settleMail(this.db, m.id, token, { state: 'sent', dayMs: dayMark(m.slot_ms) })) result.sent++;
    }
  }

  private backoff(attempts: number): number {
    const base = this.o.backoffBaseMs ?? 30_000;
    return Math.min(base * 2 ** Math.max(0, attempts - 1), this.o.backoffMaxMs ?? 15 * 60_000);
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  /** Wakes every intervalMs until stop(); passes never overlap. */
  start(): void {
    this.stopped = false;
    const loop = (): void => {
      if (this.stopped) return;
      this.running = this.tick().finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(loop, this.o.intervalMs ?? 30_000);
      });
    };
    loop();
  }

  /** Stops waking and waits for a pass in progress, so its claims are settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}

function errCode(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'error';
}

function responseCode(err: unknown): number {
  const rc = typeof err === 'object' && err !== null ? (err as { responseCode?: unknown }).responseCode : undefined;
  return typeof rc === 'number' ? rc : 0;
}

const domainOf = (from: string): string => /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
