// DEMO ONLY mail: no mail server needed. Staff notifications in `npm start`
// are captured here and printed, so the demo can show what a mail says (and
// that it says nothing of the case). Demo sign-in accounts get a
// demo.invalid address, and batches run every minute instead of hourly so
// the capture shows within the demo; a real installation keeps the hourly slot.
import type { Kysely } from 'kysely';
import type { Database } from '../server/src/db/database.ts';
import type { MailTransport } from '../server/src/notifications/sender.ts';
import { demoSignInUsernames } from './staff.ts';

export interface CapturedMail { to: string; subject: string; text: string }

export const DEMO_MAIL_FROM = 'raising-concerns@demo.invalid';
export const demoAddress = (username: string): string => `${username}@demo.invalid`;

/** A transport that keeps the last few mails in memory and prints each one. */
export function demoMailCapture(print: (text: string) => void = console.log, keep = 50): MailTransport & { mails: CapturedMail[] } {
  const mails: CapturedMail[] = [];
  return {
    mails,
    async sendMail(msg) {
      mails.push({ to: msg.to, subject: msg.subject, text: msg.text });
      if (mails.length > keep) mails.shift();
      print(`DEMO ONLY mail captured (not sent) to ${msg.to}\n  Subject: ${msg.subject}\n${msg.text.split('\n').map((l) => `  ${l}`).join('\n')}`);
      return { messageId: msg.messageId };
    },
  };
}

/** Demo addresses for the sign-in accounts and a one-minute batch, all day (DEMO ONLY). */
export async function seedDemoMail(db: Kysely<Database>): Promise<void> {
  for (const u of demoSignInUsernames()) {
    await db.updateTable('staff').set({ email: demoAddress(u) }).where('id', '=', u).where('email', 'is', null).execute();
  }
  for (const [key, value] of [['notifications.batch_minutes', '1'], ['notifications.window', '0-24']] as const) {
    await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  }
}
