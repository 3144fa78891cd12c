// State shared by the admin pages: the structure (team labels) loaded once, and
// one message for the next page to show (after a change, the account page says what happened).
import { staffApi } from '../api.ts';
import type { Structure } from '../types.ts';

let structure: Promise<Structure> | null = null;

export function loadStructure(): Promise<Structure> {
  structure ??= staffApi.structure().catch((e: unknown) => {
    structure = null;
    throw e;
  });
  return structure;
}

let flash: string | null = null;

export function setFlash(message: string): void {
  flash = message;
}

/** The message once, then gone (a reload or another visit does not show it again). */
export function takeFlash(): string | null {
  const m = flash;
  flash = null;
  return m;
}

export const accountPath = (id: string): string => `/triage/admin/accounts/${encodeURIComponent(id)}`;
