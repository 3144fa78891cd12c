// Everything a reporter typed or holds (draft, token, opened case) lives only in
// module memory. This registry lets "Exit this page" and "Sign out" wipe it all.
type Forget = () => void;
const forgetters = new Set<Forget>();
let exited = false;

export function onForget(fn: Forget): () => void {
  forgetters.add(fn);
  return () => forgetters.delete(fn);
}

export function forgetEverything(): void {
  for (const f of forgetters) f();
}

export function markExited(): void {
  exited = true;
}

export function hasExited(): boolean {
  return exited;
}
