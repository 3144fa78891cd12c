// Real server processes for the fault and multi-instance tests: the production
// entry point (server.ts) run by node with tsx's loader, its own environment,
// its output kept for the log checks.
import { randomBytes } from 'node:crypto';
import type { PowChallenge, RecipientsInfo } from '../../../shared/src/api/schemas.ts';
import { formatStamp, fromB64u, POW_HEADER, ready, sealSubmission, solve } from '../../../shared/src/crypto/index.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Spawned {
  url: string;
  proc: ChildProcess;
  /** stdout and stderr lines so far. */
  lines: string[];
  alive(): boolean;
  stop(): Promise<void>;
}

/** A test-only server secret (32 bytes, base64url), new for each test file: files running at once share Redis, and must not share rate-limit keys. */
export const TEST_SERVER_SECRET = randomBytes(32).toString('base64url');

/** Runs `node <args>` in the repository with `env` added; resolves once it prints its URL. */
export function spawnNode(args: string[], env: Record<string, string>): { proc: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  // Every instance of one deployment shares the server secret (proof-of-work and rate-limit keys);
  // stamps are made cheap so tests can post many reports.
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, CI: '', SERVER_SECRET: TEST_SERVER_SECRET, POW_BASE_DIFFICULTY: '4', POW_MAX_DIFFICULTY: '8', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => { lines.push(...String(chunk).split('\n').filter((l) => l !== '')); };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, lines, exited };
}

export async function spawnServer(env: Record<string, string>, entry = 'server/src/server.ts'): Promise<Spawned> {
  const { proc, lines, exited } = spawnNode(['--import', 'tsx', entry], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 45 s:\n${lines.join('\n')}`)), 45_000);
    const check = setInterval(() => {
      const m = lines.map((l) => /listening on (http:\/\/\S+)/.exec(l)).find((x) => x);
      if (m?.[1]) { clearInterval(check); clearTimeout(timer); resolve(m[1]); }
    }, 50);
    void exited.then((code) => { clearInterval(check); clearTimeout(timer); reject(new Error(`exited ${code} before listening:\n${lines.join('\n')}`)); });
  });
  return {
    url, proc, lines,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Timed {
  status: number;
  ms: number;
  retryAfter: string | null;
  body: unknown;
  headers: Headers;
}

/** One request, timed, bounded at 20 s so a hang fails the test instead of stalling it. */
export async function timed(url: string, init: RequestInit = {}): Promise<Timed> {
  const t0 = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, ms: performance.now() - t0, retryAfter: res.headers.get('retry-after'), body, headers: res.headers };
}

export const postJson = (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Timed> =>
  timed(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });

/** A solved proof-of-work stamp from a running server, as a reporter's browser makes one: the pow-stamp header value. */
export async function stampFrom(base: string): Promise<Record<string, string>> {
  await ready();
  const c = (await (await fetch(`${base}/api/v1/pow`)).json()) as PowChallenge;
  const found = solve(fromB64u(c.challenge), c.difficulty);
  if (!found) throw new Error('stamp not solved');
  return { [POW_HEADER]: formatStamp(c.challenge, found.nonce) };
}

/** A sealed anonymous report for the demo's North West BCU (bullying), built against a running server's recipients. */
export async function sealedReport(base: string): Promise<unknown> {
  await ready();
  const r = await fetch(`${base}/api/v1/intake/recipients?category=bullying&unit=nw-response-camden`);
  if (r.status !== 200) throw new Error(`recipients: ${r.status}`);
  const { recipients } = (await r.json()) as RecipientsInfo;
  return sealSubmission({ mode: 'anonymous', category: 'bullying', unit: 'nw-response-camden', report: { narrative: 'A sealed test report.' } }, recipients).body;
}
