// ISO/IEC 7816-4 padding to size buckets, so ciphertext length says little
// about how much a reporter wrote.
const MIN_BUCKET = 1024;
const LARGE_STEP = 64 * 1024;

/** Smallest 1024·2^k that holds `needed` bytes, up to 64 KiB; above that the next multiple of 64 KiB. */
export function bucketFor(needed: number): number {
  if (needed > LARGE_STEP) return Math.ceil(needed / LARGE_STEP) * LARGE_STEP;
  let size = MIN_BUCKET;
  while (size < needed) size *= 2;
  return size;
}

export function pad(plain: Uint8Array): Uint8Array {
  const out = new Uint8Array(bucketFor(plain.length + 1));
  out.set(plain);
  out[plain.length] = 0x80;
  return out;
}

export function unpad(padded: Uint8Array): Uint8Array {
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0) i--;
  if (i < 0 || padded[i] !== 0x80) throw new RangeError('invalid padding');
  return padded.slice(0, i);
}
