// npm run bench:pow — what proof of work costs each side. Prints, never asserts.
//   1. Solving in Chromium: the real, built Web Worker (client/dist/assets/pow.worker-*.js)
//      driven in a portal page under its real CSP, at each difficulty: median and mean time,
//      and hashes per second. (A mid-range phone is roughly 3–5× slower than this machine.)
//   2. Checking on the server: requests per second of a bare Fastify route, and of
//      POST /api/v1/reports refused at each stage of the stamp check (no stamp; a forged
//      challenge, i.e. one HMAC; an authentic challenge with too little work, i.e. HMAC +
//      BLAKE2b), as ratios to the bare route. The server runs in a child process; the load
//      comes from this one. Then the check alone, in microseconds, in a tight loop.
// Needs `npm run build` first (npm test does).
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PowChallenge } from '../shared/src/api/schemas.ts';
import { formatStamp, fromB64u, leadingZeroBits, meetsDifficulty, powHash, POW_HEADER, ready, toB64u } from '../shared/src/crypto/index.ts';
import { chromiumAvailable, launch } from './support/browser.ts';
import { REPO } from './support/portal.ts';

const DIFFICULTIES = [12, 14, 16, 18, 20];
const RUNS: Record<number, number> = { 12: 9, 14: 9, 16: 7, 18: 5, 20: 3 };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function load(make: () => RequestInit & { url: string }): Promise<number> {
  let n = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const { url, ...init } = make();
      const res = await fetch(url, init);
      await res.arrayBuffer();
      n++;
    }
  }));
  return n / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  await ready();
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const urls = await new Promise<{ portal: string; bare: string }>((resolve) => child.once('message', (m) => resolve(m as never)));
  try {
    // 1. The browser.
    const worker = readdirSync(join(REPO, 'client', 'dist', 'assets')).find((f) => /^pow\.worker-.*\.js$/.test(f));
    if (!worker) throw new Error('no pow.worker-*.js in client/dist/assets: run `npm run build` first');
    if (chromiumAvailable()) {
      const browser = await launch();
      try {
        const page = await browser.newPage();
        await page.goto(urls.portal);
        console.log(`Solving in Chromium (${worker}, under the portal's CSP):`);
        console.log('difficulty  runs   median ms    mean ms   hashes/s');
        for (const d of DIFFICULTIES) {
          const times: number[] = [];
          let hashes = 0;
          for (let i = 0; i < RUNS[d]!; i++) {
            const challenge = toB64u(crypto.getRandomValues(new Uint8Array(38)));
            const r = await page.evaluate(async ({ src, challenge, difficulty }) => {
              const w = new Worker(src, { type: 'module' });
              const t0 = performance.now();
              const reply = await new Promise<{ nonce?: string; tried?: number }>((resolve) => {
                w.onmessage = (e: MessageEvent<{ nonce?: string; tried?: number; progress?: number }>) => {
                  if (e.data.progress === undefined) resolve(e.data);
                };
                w.postMessage({ challenge, difficulty });
              });
              w.terminate();
              return { ms: performance.now() - t0, ...reply };
            }, { src: `/assets/${worker}`, challenge, difficulty: d });
            if (!r.nonce || !meetsDifficulty(fromB64u(challenge), fromB64u(r.nonce), d)) throw new Error('worker returned a bad stamp');
            times.push(r.ms);
            hashes += r.tried ?? 0;
          }
          const total = times.reduce((a, b) => a + b, 0);
          console.log(`${String(d).padStart(10)}  ${String(times.length).padStart(4)}  ${median(times).toFixed(0).padStart(10)}  ${(total / times.length).toFixed(0).padStart(9)}  ${(hashes / (total / 1000)).toFixed(0).padStart(9)}`);
        }
      } finally {
        await browser.close();
      }
    } else {
      console.log('Chromium not found: browser solving skipped');
    }

    // 2. The server.
    const c: PowChallenge = await (await fetch(`${urls.portal}/api/v1/pow`)).json();
    const cBytes = fromB64u(c.challenge);
    let weak = new Uint8Array(8);
    while (leadingZeroBits(powHash(cBytes, weak)) >= c.difficulty) weak = crypto.getRandomValues(new Uint8Array(8));
    const forged = formatStamp(toB64u(crypto.getRandomValues(new Uint8Array(38))), weak);
    const unsolved = formatStamp(c.challenge, weak);
    const body = JSON.stringify({ v: 2 });
    const post = (stamp?: string) => () => ({
      url: `${urls.portal}/api/v1/reports`, method: 'POST', body,
      headers: { 'content-type': 'application/json', ...(stamp ? { [POW_HEADER]: stamp } : {}) },
    });
    const bare = await load(() => ({ url: urls.bare, method: 'POST', body, headers: { 'content-type': 'application/json' } }));
    const rows: [string, number][] = [
      ['POST /bare (bare Fastify)', bare],
      ['reports: no stamp', await load(post())],
      ['reports: forged challenge', await load(post(forged))],
      ['reports: too little work', await load(post(unsolved))],
    ];
    console.log(`\nChecking on the server (loopback, concurrency ${CONCURRENCY}, ${SECONDS}s each; server in a child process):`);
    for (const [name, rate] of rows) console.log(`${name.padEnd(28)} ${rate.toFixed(0).padStart(7)} req/s  ${(rate / bare).toFixed(3)}× bare`);

    const { mintChallenge, readChallenge } = await import('../server/src/pow/challenge.ts');
    const key = new Uint8Array(32).fill(1);
    const minted = mintChallenge(key, 16, Date.now() + 60_000);
    const N = 50_000;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const ch = readChallenge(key, minted);
      if (!ch) throw new Error('bad');
      meetsDifficulty(ch.bytes, weak, ch.difficulty);
    }
    console.log(`stamp check alone (HMAC-SHA256 + one BLAKE2b): ${(((performance.now() - t0) * 1000) / N).toFixed(2)} µs`);
  } finally {
    child.disconnect();
  }
}

async function serve(): Promise<void> {
  // Child: the portal (demo data, built client) and a bare Fastify route, both on loopback.
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const Fastify = (await import('fastify')).default;
  const { startDemoServer } = await import('../seeds/demo-server.ts');
  const unlimited = { max: 1e9, timeWindow: 60_000 };
  const portal = await startDemoServer({
    dbFile: join(mkdtempSync(join(tmpdir(), 'rc-bench-pow-')), 'bench.sqlite'),
    rateLimits: { intake: unlimited, reports: unlimited, reportsGlobal: unlimited, case: unlimited },
  });
  const bare = Fastify();
  bare.post('/bare', async () => ({ ok: true }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  process.send?.({ portal: portal.url, bare: `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare` });
  process.on('disconnect', () => void Promise.all([portal.close(), bare.close()]).then(() => process.exit(0)));
}

// Last, so every const above is initialised before either side runs.
if (process.argv[2] === '--serve') await serve();
else await main();
