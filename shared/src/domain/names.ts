// The one rule for a display name, used by the server's schema (shared/src/api/staff.ts)
// and the admin form in the browser. A display name is shown to colleagues as
// "who did this", so nothing in it may be invisible or reorder what is shown:
//   - controls (Cc: C0, DEL, C1) have no place in a name and PostgreSQL refuses NUL;
//   - format characters (Cf) include the bidirectional embeddings, overrides and
//     isolates (U+202A–U+202E, U+2066–U+2069), the marks U+200E, U+200F, U+061C,
//     zero-width space/joiners, word joiner, soft hyphen and BOM: each can make one
//     name look like another, or reverse what follows it on screen;
//   - line and paragraph separators, private-use and lone surrogates render as
//     anything or nothing;
//   - a few letters and marks that draw nothing (Hangul fillers, CGJ, Khmer
//     inherent vowels, Mongolian selectors) would make a "blank" name.
// Zero-width joiners are refused too, although some scripts use them: a name
// spelled without them still reads correctly, and a disguised name cannot be told apart.
// At least one visible character is required (a name of spaces is no name).
const INVISIBLE = '\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}\\p{Zl}\\p{Zp}\\u034F\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u3164\\uFFA0';

/** Anchored; needs the `u` flag (Ajv compiles schema patterns with it). */
export const DISPLAY_NAME_PATTERN = `^(?=.*\\S)[^${INVISIBLE}]*$`;
export const DISPLAY_NAME_MAX = 120;

const FORBIDDEN = new RegExp(`[${INVISIBLE}]`, 'u');

export type DisplayNameProblem = 'missing' | 'too_long' | 'invisible';

/** Why a display name would be refused (same outcome as the schema pattern), or null if it is fine. Length counts code points, as Ajv does. */
export function displayNameProblem(name: string): DisplayNameProblem | null {
  if (FORBIDDEN.test(name)) return 'invisible';
  if (!/\S/u.test(name)) return 'missing';
  if ([...name].length > DISPLAY_NAME_MAX) return 'too_long';
  return null;
}
