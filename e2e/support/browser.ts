// Launches Debian's Chromium through playwright-core. No browser is ever
// downloaded; the flags keep it off this machine's closed network.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { requireService } from '../../shared/test/ci.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** For `describe.runIf`: false locally without Chromium, a thrown error in CI (shared/test/ci.ts). */
export function needChromium(): boolean {
  return requireService('Chromium', chromiumAvailable(), `${CHROMIUM} not found (apt-get install chromium, or set CHROMIUM_PATH)`);
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
