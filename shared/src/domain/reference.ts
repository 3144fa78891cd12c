// Human-readable identifiers, written once: the Crockford base32 alphabet
// (no I, L, O or U, so nothing is misread aloud or from a note) and the case
// reference format RC-XXXX-XXXX.
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The case reference as a regular expression source (anchored). */
export const CASE_REF_PATTERN = '^RC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$';
const CASE_REF = new RegExp(CASE_REF_PATTERN);

export const isCaseRef = (s: string): boolean => CASE_REF.test(s);

/** Eight Crockford characters from `pick(32)` (a uniform random index), as RC-XXXX-XXXX. */
export function caseRefFrom(pick: (n: number) => number): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CROCKFORD[pick(32)];
  return `RC-${s.slice(0, 4)}-${s.slice(4)}`;
}

/**
 * What a person typed as a reference, tidied: case and spaces do not matter, a
 * missing "RC-" or dashes are filled in, and the look-alikes Crockford allows
 * (O→0, I/L→1) are read as meant. Null when it cannot be a reference.
 */
export function normaliseCaseRef(typed: string): string | null {
  const raw = typed.toUpperCase().replace(/[\s-]/g, '').replace(/^RC/, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (raw.length !== 8) return null;
  const ref = `RC-${raw.slice(0, 4)}-${raw.slice(4)}`;
  return isCaseRef(ref) ? ref : null;
}
