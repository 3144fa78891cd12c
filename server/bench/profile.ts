// Profiling aid (not part of `npm run bench`): starts serve.ts under
// `node --cpu-prof` on a fresh demo database, drives one route with the same
// load as the benchmark, stops the server and prints the top self-time
// functions of its .cpuprofile. Usage:
//   tsx server/bench/profile.ts <case|reports|inbox> [sqlite|postgres] [seconds]
// (inbox seeds BENCH_CASES cases, default 100 000 as in the benchmark; PROF_USER=1 profiles the several-teams user.)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { demoCaseToken } from '../../seeds/demo.ts';
import type { RecipientsInfo, SubmitReport } from '../../shared/src/api/schemas.ts';
import { formatStamp, POW_HEADER, ready, reporterSession, sealSubmission, solve } from '../../shared/src/crypto/index.ts';
import { mintChallenge } from '../src/pow/challenge.ts';
import { deriveKey } from '../src/secret.ts';
import { CONNECTIONS, tempPg } from './load.ts';

const [what = 'case', kind = 'sqlite', secs = '8'] = process.argv.slice(2);
await ready();
const dir = mkdtempSync(join(tmpdir(), 'rc-prof-'));
const pgDb = kind === 'postgres' && !process.env.PROF_DB ? await tempPg('rc_prof') : undefined;
// PROF_DB: an already seeded database to reuse (inbox: seeding 100 000 cases takes minutes); its users in PROF_USERS (comma-separated).
const url = process.env.PROF_DB ?? pgDb?.url ?? join(dir, 'prof.sqlite');
const secret = randomBytes(32);
const profDir = join(dir, 'prof');
let users: string[] = process.env.PROF_USERS?.split(',') ?? [];
if (what === 'inbox' && users.length === 0) {
  const { seedInbox } = await import('./inbox.ts');
  users = (await seedInbox(url)).map((u) => u.user);
  console.log(`seeded; users ${users.join(',')}`);
}
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--import', 'tsx', fileURLToPath(new URL('serve.ts', import.meta.url)), url],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...(what === 'inbox' ? {} : { BENCH_SERVER_SECRET: secret.toString('base64url') }) } });
const server = await new Promise<string>((resolve) => {
  createInterface({ input: child.stdout! }).on('line', (l) => { if (l.startsWith('READY ')) resolve(l.slice(6)); });
});
let opts: autocannon.Options;
if (what === 'case') {
  opts = { url: `${server}/api/v1/case`, headers: { authorization: reporterSession(demoCaseToken(1)).authorization } };
} else if (what === 'reports') {
  const powKey = deriveKey(secret, 'rc2 pow challenge key');
  const recipients: RecipientsInfo = await (await fetch(`${server}/api/v1/intake/recipients?category=bullying&unit=nw-cid`)).json();
  const bodies: SubmitReport[] = Array.from({ length: 16 }, (_, n) =>
    sealSubmission({ mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: `p ${n}` } }, recipients.recipients).body);
  let n = 0;
  opts = {
    url: server,
    requests: [{
      method: 'POST', path: '/api/v1/reports', headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const c = mintChallenge(powKey, 1, Date.now() + 60_000);
        return { ...req, headers: { ...req.headers, [POW_HEADER]: formatStamp(Buffer.from(c).toString('base64url'), solve(c, 1)!.nonce) },
          body: JSON.stringify({ ...bodies[n++ % 16]!, accessHash: randomBytes(32).toString('base64url'), reporterPk: randomBytes(32).toString('base64url') }) };
      },
    }],
  };
} else {
  const { login } = await import('./inbox.ts');
  const user = users[Number(process.env.PROF_USER ?? 0)]!;
  opts = { url: `${server}/api/v1/staff/cases`, headers: { cookie: await login(server, user) } };
}
await autocannon({ ...opts, connections: CONNECTIONS, duration: 1 });
const r = await autocannon({ ...opts, connections: CONNECTIONS, duration: Number(secs) });
console.log(`${what} ${kind}: ${(r['2xx'] / r.duration).toFixed(0)} req/s, non2xx ${r.non2xx}, errors ${r.errors}`);
await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!;
interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
const prof = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const self = new Map<string, number>();
const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]));
for (const nd of prof.nodes) {
  const f = nd.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.replace(/.*node_modules\//, '').replace(/.*wt-perf\//, '')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (nd.hitCount ?? 0));
}
const total = prof.samples.length;
const idle = [...self.entries()].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
console.log(`samples ${total}, idle ${(100 * idle / total).toFixed(1)}%`);
for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROF_TOP ?? 40))) {
  console.log(`${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`);
}
// Inclusive time by package/file for a coarse picture.
const inclusive = new Map<string, number>();
const parent = new Map<number, number>();
for (const nd of prof.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
for (const nd of prof.nodes) {
  const seen = new Set<string>();
  for (let cur: Node | undefined = nd; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
    const u = cur.callFrame.url;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
    const k = m ? m[1]! : u.includes('wt-perf2/') ? u.replace(/.*wt-perf\//, '') : u || cur.callFrame.functionName;
    if (!seen.has(k)) { seen.add(k); inclusive.set(k, (inclusive.get(k) ?? 0) + (nd.hitCount ?? 0)); }
  }
}
console.log('--- inclusive by file/package');
for (const [k, v] of [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`);
// Inclusive time by function of the project's own code (server/, shared/): where a request's time goes, by step.
const ours = new Map<string, number>();
for (const nd of prof.nodes) {
  const seen = new Set<string>();
  for (let cur: Node | undefined = nd; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
    const f = cur.callFrame;
    if (f.url.includes('node_modules') || !/\/(server|shared)\/src\//.test(f.url)) continue;
    const k = `${f.functionName || '(anon)'} ${f.url.replace(/.*\/(server|shared)\/src\//, '$1/')}:${f.lineNumber + 1}`;
    if (!seen.has(k)) { seen.add(k); ours.set(k, (ours.get(k) ?? 0) + (nd.hitCount ?? 0)); }
  }
}
console.log('--- inclusive by function (project code)');
for (const [k, v] of [...ours.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`);
await pgDb?.drop();
rmSync(dir, { recursive: true, force: true });
