// Staff plumbing for browser tests: demo TOTP codes, signing a demo officer in
// through the real sign-in page, and filing a sealed report over the API (the
// reporter journey itself is tested elsewhere; here it only sets the scene).
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { demoPassphrase, demoTotpSecret } from '../../seeds/demo.ts';
import type { PowChallenge, RecipientsInfo, SubmitReportResult } from '../../shared/src/api/schemas.ts';
import { formatStamp, fromB64u, POW_HEADER, ready, sealSubmission, solve } from '../../shared/src/crypto/index.ts';

export function totpCode(username: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(demoTotpSecret(username)), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

/** Fills and sends the sign-in form; does not wait for the result. */
export async function submitSignIn(page: Page, baseUrl: string, username: string, code = totpCode(username)): Promise<void> {
  await page.goto(`${baseUrl}/triage/sign-in`);
  await page.locator('#username').fill(username);
  await page.locator('#passphrase').fill(demoPassphrase(username));
  await page.locator('#code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signInToInbox(page: Page, baseUrl: string, username: string): Promise<void> {
  await submitSignIn(page, baseUrl, username);
  await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor({ timeout: 30_000 });
}

/** Seals and files an anonymous report as a reporter's browser would; returns its case reference. */
export async function fileReport(baseUrl: string, category: string, unit: string, narrative: string): Promise<string> {
  await ready();
  const q = new URLSearchParams({ category, unit });
  const recipients = (await (await fetch(`${baseUrl}/api/v1/intake/recipients?${q.toString()}`)).json()) as RecipientsInfo;
  const { body } = sealSubmission({ mode: 'anonymous', category, unit, report: { narrative } }, recipients.recipients);
  const c = (await (await fetch(`${baseUrl}/api/v1/pow`)).json()) as PowChallenge;
  const stamp = formatStamp(c.challenge, solve(fromB64u(c.challenge), c.difficulty)!.nonce);
  const res = await fetch(`${baseUrl}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', [POW_HEADER]: stamp }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`report not filed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as SubmitReportResult).caseRef;
}
