// The organisation's Ed25519 public key, pinned in the build: every recipient chain must
// end here (docs/PROTOCOL.md "Key certificates"). VITE_ORG_PUBLIC_KEY at build time wins
// over client/org-key.json, which holds the DEMO ONLY key for `npm start` and the tests.
// It is never fetched from the server: the server is what it guards against.
import pinned from '../org-key.json';

export const ORG_PUBLIC_KEY: string = (import.meta.env.VITE_ORG_PUBLIC_KEY as string | undefined) || pinned.publicKey;
