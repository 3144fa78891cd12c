// The triage inbox's first page over a large synthetic set (BENCH_CASES,
// default 100 000), as req/s and as a ratio to a bare Fastify route measured
// in the same run. Prints, never asserts. Called from run.ts (npm run bench).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { demoTotpSecret } from '../../seeds/demo.ts';
import { secretsOf } from '../../seeds/staff.ts';
import { createDb } from '../src/db/dialect.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { startDemoServer } from '../../seeds/demo-server.ts';
import { totpFor } from '../src/auth/totp.ts';
import { seedLarge } from './seed-large.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const USER = 'nw-bcu-psu-1';

async function rate(call: () => Promise<Response>): Promise<{ perSecond: number; ok: number; errors: number }> {
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const res = await call();
      await res.arrayBuffer();
      if (res.ok) ok++; else errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { perSecond: ok / ((performance.now() - started) / 1000), ok, errors };
}

export async function runInboxBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-inbox-'));
  const file = join(dir, 'inbox.sqlite');
  const today = new Date().toISOString().slice(0, 10);
  const seedHandle = createDb(file);
  process.stdout.write(`\nseeding ${CASES} synthetic cases… `);
  const t0 = performance.now();
  await prepareDemoDatabase(seedHandle, { today, demoSignIn: [USER] });
  await seedLarge(seedHandle.db, CASES, today);
  await seedHandle.close();
  console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const server = await startDemoServer({ dbFile: file, clientDist: null });
  const bare = Fastify();
  bare.get('/bare', async () => ({ ok: true }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare`;
  try {
    const { loginSecret } = await secretsOf(USER);
    const login = await fetch(`${server.url}/api/v1/staff/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USER, loginSecret, totp: totpFor(demoTotpSecret(USER)).generate() }),
    });
    if (!login.ok) throw new Error(`bench login failed: ${login.status}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const inboxUrl = `${server.url}/api/v1/staff/cases`;
    const first = await (await fetch(inboxUrl, { headers: { cookie } })).json() as { cases: unknown[] };
    const base = await rate(() => fetch(bareUrl));
    const inbox = await rate(() => fetch(inboxUrl, { headers: { cookie } }));
    const overdue = await rate(() => fetch(`${inboxUrl}?overdue=true&category=bullying`, { headers: { cookie } }));
    console.log(`inbox over ${CASES} cases (first page ${first.cases.length} rows), concurrency ${CONCURRENCY}, ${SECONDS}s each, SQLite`);
    for (const [name, r] of [['GET /bare (bare Fastify)', base], ['GET /staff/cases', inbox], ['GET /staff/cases?overdue&category', overdue]] as const) {
      console.log(`${name.padEnd(34)} ${r.perSecond.toFixed(0).padStart(7)} req/s  ${(r.perSecond / base.perSecond).toFixed(3)}× bare  (${r.ok} ok, ${r.errors} errors)`);
    }
  } finally {
    await bare.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runInboxBench();
