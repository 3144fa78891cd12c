// Proof-of-work stamps for the reporter's anonymous writes (a report, a
// message). Solving starts as soon as a journey begins, in a Web Worker, so by
// "Send" a stamp is usually waiting; `takeStamp` waits for one otherwise and
// `stampWaiting` tells the page to say so. A stamp is used once; one that
// would expire before use is replaced in the background.
import type { PowChallenge } from '../../../shared/src/api/schemas.ts';
import { fetchJson } from '../api.ts';
import { loadCrypto } from '../crypto.ts';
import { createStore } from '../store.ts';
import type { SolveReply, SolveRequest } from './pow.worker.ts';

/** A stamp this close to its expiry is not used: the request could arrive too late. */
const MARGIN_MS = 45_000;

interface Ready {
  stamp: string;
  expiresAt: number;
}

/** true while a send is waiting for a stamp to be solved (the page shows a status message). */
export const stampWaiting = createStore(false);

let ready: Ready | undefined;
let solving: Promise<Ready> | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function solveInWorker(req: SolveRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./pow.worker.ts', import.meta.url), { type: 'module' });
    } catch (err) {
      reject(err instanceof Error ? err : new Error('no worker'));
      return;
    }
    worker.onmessage = (e: MessageEvent<SolveReply>) => {
      if ('progress' in e.data) return;
      worker.terminate();
      if ('nonce' in e.data) resolve(e.data.nonce);
      else reject(new Error(e.data.error));
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new Error('worker failed'));
    };
    worker.postMessage(req);
  });
}

/** Without workers (very old browsers, blocked by policy): solve here, yielding between slices. */
async function solveHere(req: SolveRequest): Promise<string> {
  const c = await loadCrypto();
  const challenge = c.fromB64u(req.challenge);
  for (;;) {
    // Each slice starts at a fresh random nonce: the search space is 2^64, so the expected work is the same.
    const found = c.solve(challenge, req.difficulty, { maxTries: 20_000 });
    if (found) return c.toB64u(found.nonce);
    await new Promise((r) => setTimeout(r, 0));
  }
}

async function fresh(): Promise<Ready> {
  const c: PowChallenge = await fetchJson<PowChallenge>('/api/v1/pow');
  const expiresAt = Date.now() + c.expiresIn * 1000;
  const req = { challenge: c.challenge, difficulty: c.difficulty };
  const nonce = await solveInWorker(req).catch(() => solveHere(req));
  return { stamp: `${c.challenge}.${nonce}`, expiresAt };
}

function usable(r: Ready | undefined): r is Ready {
  return r !== undefined && r.expiresAt - MARGIN_MS > Date.now();
}

/** Starts solving a stamp now if none is ready or being solved. Safe to call on every page. */
export function prepareStamp(): void {
  if (usable(ready) || solving) return;
  const run = fresh();
  solving = run;
  run.then((r) => {
    ready = r;
    clearTimeout(refreshTimer);
    // Replace it shortly before it expires, so a reporter who writes for a long time still has one.
    refreshTimer = setTimeout(() => {
      if (ready === r) {
        ready = undefined;
        prepareStamp();
      }
    }, Math.max(1000, r.expiresAt - MARGIN_MS - Date.now()));
  }, () => undefined).finally(() => {
    if (solving === run) solving = undefined;
  });
}

/** A stamp for one request: the prepared one if still good, else one solved now (the page says it is preparing). */
export async function takeStamp(): Promise<string> {
  if (!usable(ready)) {
    prepareStamp();
    stampWaiting.set(true);
    try {
      while (!usable(ready)) {
        if (!solving) prepareStamp();
        ready = await (solving as Promise<Ready>);
      }
    } finally {
      stampWaiting.set(false);
    }
  }
  const { stamp } = ready;
  ready = undefined;
  clearTimeout(refreshTimer);
  return stamp;
}

/** Sends with a stamp; a stamp refused as expired or already used is replaced once. */
export async function withStamp<T>(send: (stamp: string) => Promise<T>, isStampError: (e: unknown) => boolean): Promise<T> {
  try {
    return await send(await takeStamp());
  } catch (err) {
    if (!isStampError(err)) throw err;
    return send(await takeStamp());
  }
}
