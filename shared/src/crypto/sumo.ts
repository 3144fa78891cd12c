// The second and last libsodium importer: the "sumo" build, for crypto_pwhash
// (Argon2id), which the plain build declares in its types but lacks at run
// time (docs/PROTOCOL.md). Only staff pages load it, so reporters never download it.
import sumoModule from 'libsodium-wrappers-sumo';

export type SodiumSumo = typeof sumoModule;

let loaded: SodiumSumo | undefined;

export async function readySumo(): Promise<SodiumSumo> {
  if (!loaded) {
    await sumoModule.ready;
    loaded = sumoModule;
  }
  return loaded;
}
