// Staff crypto (both libsodium builds, Argon2id) is its own chunk, fetched only on staff pages.
export type Rc1 = typeof import('../../../shared/src/crypto/index.ts');
export type StaffCrypto = typeof import('../../../shared/src/crypto/staff.ts');
export interface Crypto {
  rc1: Rc1;
  staff: StaffCrypto;
}

let loading: Promise<Crypto> | undefined;

export function loadStaffCrypto(): Promise<Crypto> {
  if (!loading) {
    loading = Promise.all([import('../../../shared/src/crypto/index.ts'), import('../../../shared/src/crypto/staff.ts')]).then(
      async ([rc1, staff]) => {
        await staff.readyStaff();
        return { rc1, staff };
      },
    );
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

export function preloadStaffCrypto(): void {
  loadStaffCrypto().catch(() => undefined);
}
