// The rc1 crypto (and libsodium's WebAssembly) is its own chunk, fetched only
// once someone starts a report or opens a case, so the start page stays small.
export type Crypto = typeof import('../../shared/src/crypto/index.ts');

let loading: Promise<Crypto> | undefined;

export function loadCrypto(): Promise<Crypto> {
  if (!loading) {
    loading = import('../../shared/src/crypto/index.ts').then(async (m) => {
      await m.ready();
      return m;
    });
    // A failed download (flaky mobile signal) must not poison later attempts.
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** Start the download early without caring about the result yet. */
export function preloadCrypto(): void {
  loadCrypto().catch(() => undefined);
}
