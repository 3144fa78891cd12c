// Plain words for the key log (Team keys page and the inbox banner).
import type { KeyChangeWire } from '../../../shared/src/api/keys.ts';

export function changeWords(c: KeyChangeWire): string {
  const who = c.name ?? 'A removed account';
  const by = c.by ? ` (confirmed by ${c.by})` : '';
  switch (c.action) {
    case 'certify':
      return `${who} can now read new reports sent to ${c.teamLabel}${by}`;
    case 'revoke':
      return `${who} can no longer read new reports sent to ${c.teamLabel}: their key was reset or removed`;
    case 'lead':
      return `${who} can now confirm keys for ${c.teamLabel}`;
    default:
      return 'The organisation’s recovery key was installed';
  }
}
