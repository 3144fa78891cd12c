// The only module in the project that imports libsodium (see STYLE.md): every
// other file calls the small rc1 functions built on it, so an audit of what
// primitives we use starts and ends here.
import sodiumModule from 'libsodium-wrappers';

export type Sodium = typeof sodiumModule;

let loaded: Sodium | undefined;

/** Resolves once libsodium's WebAssembly is compiled; safe to call repeatedly. */
export async function ready(): Promise<Sodium> {
  if (!loaded) {
    await sodiumModule.ready;
    loaded = sodiumModule;
  }
  return loaded;
}

/** The initialised library. Throws if `ready()` has not resolved yet, which is a programming error. */
export function sodium(): Sodium {
  if (!loaded) throw new Error('rc1 crypto used before ready() resolved');
  return loaded;
}
