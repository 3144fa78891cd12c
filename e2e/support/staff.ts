// Staff plumbing for browser tests: demo accounts and their TOTP codes,
// signing in through the real sign-in page, in-app moves (the private key
// lives only in page memory), and filing a sealed report over the API (the
// reporter journey itself is tested elsewhere; here it only sets the scene).
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { demoPassphrase, demoTotpSecret } from '../../seeds/demo.ts';
import type { PowChallenge, RecipientsInfo, SubmitReportResult } from '../../shared/src/api/schemas.ts';
import { DEMO_ORG_LABEL, demoSigningKeyPair, formatStamp, fromB64u, POW_HEADER, ready, sealVerified, solve } from '../../shared/src/crypto/index.ts';

/** Each TOTP step is accepted once per account, so a second sign-in within 30 s needs the next step's code. */
const stepsUsed = new Map<string, number>();

export function nextCode(username: string, secret: string = demoTotpSecret(username)): string {
  const step = stepsUsed.get(username) ?? 0;
  stepsUsed.set(username, step + 1);
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + step * 30_000 });
}

export const demoPass = (username: string) => `demo-pass-${username}`;

/** Fills the sign-in form the page is on and submits it. */
export async function fillSignIn(page: Page, username: string, passphrase = demoPass(username), code = nextCode(username)): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#passphrase').fill(passphrase);
  await page.locator('#code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the sign-in page and signs in; resolves once the account's start page heading shows. */
export async function signIn(page: Page, baseUrl: string, username: string, heading: string): Promise<void> {
  await page.goto(`${baseUrl}/triage/sign-in`);
  await fillSignIn(page, username);
  await page.getByRole('heading', { name: heading, exact: true }).waitFor({ timeout: 30_000 });
}

/** An in-app navigation, as a link click would do (keeps the key in memory). */
export async function goInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => {
    history.replaceState(null, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** Where an element sits relative to the viewport, and whether it holds focus. */
export async function seenAndFocused(page: Page, selector: string): Promise<{ found: boolean; inViewport: boolean; focused: boolean; top: number; bottom: number; scrollY: number }> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return { found: false, inViewport: false, focused: false, top: 0, bottom: 0, scrollY };
    const r = el.getBoundingClientRect();
    // Its top edge, at least, must be on screen: a tall banner may run past the bottom on a phone.
    const inViewport = r.top >= 0 && r.top < innerHeight && r.height > 0;
    const active = document.activeElement;
    return { found: true, inViewport, focused: !!active && (el === active || el.contains(active)), top: r.top, bottom: r.bottom, scrollY };
  }, selector);
}

/** The current code (offset by whole steps); for a test that means to reuse one, see nextCode otherwise. */
export function totpCode(username: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(demoTotpSecret(username)), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

/** Opens the sign-in page, fills and sends it; does not wait for the result. */
export async function submitSignIn(page: Page, baseUrl: string, username: string, code = nextCode(username)): Promise<void> {
  await page.goto(`${baseUrl}/triage/sign-in`);
  await fillSignIn(page, username, demoPass(username), code);
}

export async function signInToInbox(page: Page, baseUrl: string, username: string): Promise<void> {
  await signIn(page, baseUrl, username, 'Cases');
}

/** Seals and files an anonymous report as a reporter's browser would; returns its case reference. */
export async function fileReport(baseUrl: string, category: string, unit: string, narrative: string): Promise<string> {
  await ready();
  const q = new URLSearchParams({ category, unit });
  const recipients = (await (await fetch(`${baseUrl}/api/v1/intake/recipients?${q.toString()}`)).json()) as RecipientsInfo;
  // Checked as a reporter's browser checks it: every chain up to the (DEMO ONLY) organisation key.
  const { body } = sealVerified({ mode: 'anonymous', category, unit, report: { narrative } }, recipients, demoSigningKeyPair(DEMO_ORG_LABEL).publicKey);
  const c = (await (await fetch(`${baseUrl}/api/v1/pow`)).json()) as PowChallenge;
  const stamp = formatStamp(c.challenge, solve(fromB64u(c.challenge), c.difficulty)!.nonce);
  const res = await fetch(`${baseUrl}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', [POW_HEADER]: stamp }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`report not filed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as SubmitReportResult).caseRef;
}
