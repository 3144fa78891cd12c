// npm run bench: rough throughput of the reporter API against a bare Fastify
// route on the same machine. Bounded by time and count; prints, never asserts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { demoCaseToken } from '../../seeds/demo.ts';
import type { PowChallenge, RecipientsInfo, SubmitReport } from '../../shared/src/api/schemas.ts';
import { formatStamp, fromB64u, POW_HEADER, reporterSession, sealSubmission, solve } from '../../shared/src/crypto/index.ts';
import { startDemoServer } from '../../seeds/demo-server.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 400);
const UNLIMITED = { max: 1e9, timeWindow: 60_000 };

interface Result { requests: number; errors: number; seconds: number }

/** Runs `CONCURRENCY` workers until the time is up or `next` runs out. */
async function load(next: (i: number) => (() => Promise<Response>) | null): Promise<Result> {
  let i = 0;
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const worker = async () => {
    for (;;) {
      if (performance.now() > deadline) return;
      const call = next(i++);
      if (!call) return;
      const res = await call();
      await res.arrayBuffer();
      if (res.ok) requests++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { requests, errors, seconds: (performance.now() - started) / 1000 };
}

const rate = (r: Result) => r.requests / r.seconds;

const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
const server = await startDemoServer({
  dbFile: join(dir, 'bench.sqlite'), clientDist: null,
  rateLimits: { intake: UNLIMITED, reports: UNLIMITED, reportsGlobal: UNLIMITED, case: UNLIMITED },
  // Stamps are solved before the load starts; a low difficulty keeps that short (bench:pow measures the stamp).
  pow: { baseDifficulty: 1, maxDifficulty: 1 },
});
const bare = Fastify();
bare.get('/bare', async () => ({ ok: true }));
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare`;

try {
  const recipients: RecipientsInfo = await (await fetch(`${server.url}/api/v1/intake/recipients?category=bullying&unit=nw-cid`)).json();
  process.stdout.write(`sealing ${REPORTS} reports… `);
  const bodies: SubmitReport[] = [];
  const stamps: string[] = [];
  for (let n = 0; n < REPORTS; n++) {
    bodies.push(sealSubmission({ mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: `bench ${n}` } }, recipients.recipients).body);
    const c: PowChallenge = await (await fetch(`${server.url}/api/v1/pow`)).json();
    stamps.push(formatStamp(c.challenge, solve(fromB64u(c.challenge), c.difficulty)!.nonce));
  }
  console.log('done');
  const authorization = reporterSession(demoCaseToken(1)).authorization;

  const results: [string, Result][] = [];
  results.push(['GET /bare (bare Fastify)', await load(() => () => fetch(bareUrl))]);
  results.push(['GET /api/v1/case', await load(() => () => fetch(`${server.url}/api/v1/case`, { headers: { authorization } }))]);
  results.push(['POST /api/v1/reports', await load((i) => {
    const body = bodies[i];
    const headers = { 'content-type': 'application/json', [POW_HEADER]: stamps[i] ?? '' };
    return body ? () => fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers, body: JSON.stringify(body) }) : null;
  })]);

  const base = rate(results[0]![1]);
  console.log(`\nconcurrency ${CONCURRENCY}, up to ${SECONDS}s each, SQLite (synchronous=FULL)`);
  for (const [name, r] of results) {
    console.log(`${name.padEnd(28)} ${rate(r).toFixed(0).padStart(7)} req/s  ${(rate(r) / base).toFixed(3)}× bare  (${r.requests} ok, ${r.errors} errors)`);
  }
} finally {
  await bare.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

// The staff inbox over a large synthetic set, with its own bare-route baseline.
const { runInboxBench } = await import('./inbox.ts');
await runInboxBench();
