// Load-generation plumbing for the benchmark: children started with tsx that
// print "READY <url>", autocannon runs (32 connections by default) and the
// ratio lines. The load comes from this process; servers run in their own.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Child {
  url: string;
  stop(): Promise<void>;
  /** CPU time (user + system) the child has used so far, in ms; NaN where /proc is not there. */
  cpuMs(): number;
}

/** utime + stime of a process from /proc (Linux), in ms. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** Starts `script` (relative to this folder) with tsx and waits for its READY line. */
export async function startChild(script: string, args: string[] = []): Promise<Child> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => { if (l.startsWith('READY ')) resolve(l.slice(6)); });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return {
    url,
    cpuMs: () => cpuMsOf(child.pid),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

export interface Rate {
  perSecond: number; ok: number; failed: number; /** 2xx answers including the warm-up. */ okTotal: number;
  /** The server's CPU time per answered request in ms: unlike req/s, barely moved by other load on a shared machine. */
  cpuMsPerRequest: number;
}

/** One autocannon run after a one-second warm-up (JIT, caches, pool); `server` is the process answering it. */
export async function measure(opts: autocannon.Options, server?: Child): Promise<Rate> {
  const warm = await autocannon({ ...opts, connections: CONNECTIONS, duration: 1 });
  const cpu0 = server?.cpuMs() ?? Number.NaN;
  const r = await autocannon({ ...opts, connections: CONNECTIONS, duration: SECONDS });
  const cpu = (server?.cpuMs() ?? Number.NaN) - cpu0;
  const failed = r.non2xx + r.errors + r.timeouts;
  return { perSecond: r['2xx'] / (r.duration || SECONDS), ok: r['2xx'], failed, okTotal: warm['2xx'] + r['2xx'], cpuMsPerRequest: cpu / (r['2xx'] + r.non2xx) };
}

export function line(name: string, r: Rate, bare: Rate): string {
  return `${name.padEnd(44)} ${r.perSecond.toFixed(0).padStart(7)} req/s  ${(r.perSecond / bare.perSecond).toFixed(3)}× bare` +
    `  (${r.ok} ok, ${r.failed} failed; bare ${bare.perSecond.toFixed(0)} req/s)` +
    (Number.isNaN(r.cpuMsPerRequest) ? '' : `  cpu ${r.cpuMsPerRequest.toFixed(3)} ms/req vs bare ${bare.cpuMsPerRequest.toFixed(3)}`);
}

/** Prints a result line as soon as it is known (a later failure then keeps it) and returns it for the summary. */
export function progress(l: string): string {
  process.stdout.write(`${l}\n`);
  return l;
}

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try { await client.query(text); } finally { await client.end(); }
}

/** A throwaway PostgreSQL database; drop() removes it. */
export async function tempPg(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      for (let i = 0; ; i++) {
        try { await adminQuery(`DROP DATABASE IF EXISTS ${name}`); return; } catch (err) {
          if (i >= 20) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
  };
}
