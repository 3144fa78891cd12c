// The reporter's side out of process: the status check (GET /api/v1/case) and
// durable submissions (POST /api/v1/reports) on one dialect, each against the
// bare route measured just before it. Afterwards every 201 is counted in the
// database: an acknowledged submission must be there.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCaseToken } from '../../seeds/demo.ts';
import type { RecipientsInfo, SubmitReport } from '../../shared/src/api/schemas.ts';
import { formatStamp, POW_HEADER, ready, reporterSession, sealSubmission, solve } from '../../shared/src/crypto/index.ts';
import { mintChallenge } from '../src/pow/challenge.ts';
import { deriveKey } from '../src/secret.ts';
import { createDb, toCount, type DialectKind } from '../src/db/dialect.ts';
import { line, measure, progress, startChild, tempPg, type Child, type Rate } from './load.ts';
import { sqliteFloor } from './sqlite-floor.ts';

const TEMPLATES = 32;
/** BENCH_ONLY=case or reports: one of the two reporter measures. */
const ONLY = process.env.BENCH_ONLY;

async function target(kind: DialectKind): Promise<{ url: string; cleanup(): Promise<void> }> {
  if (kind === 'postgres') {
    const db = await tempPg('rc_bench_reporter');
    return { url: db.url, cleanup: () => db.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  return { url: join(dir, 'bench.sqlite'), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A solved stamp for a challenge minted here with the server's own key (difficulty 1: one or two hashes). */
function stampWith(key: Uint8Array): string {
  const challenge = mintChallenge(key, 1, Date.now() + 5 * 60_000);
  return formatStamp(Buffer.from(challenge).toString('base64url'), solve(challenge, 1)!.nonce);
}

export async function reporterBench(kind: DialectKind, bare: Child): Promise<string[]> {
  await ready();
  const db = await target(kind);
  const secret = randomBytes(32);
  process.env.BENCH_SERVER_SECRET = secret.toString('base64url');
  const powKey = deriveKey(secret, 'rc2 pow challenge key');
  const server = await startChild('serve.ts', [db.url]);
  const out: string[] = [];
  let submitted = 0;
  let bareForPosts: Rate | undefined;
  const before = await caseCount(db.url);
  try {
    const recipients: RecipientsInfo = await (await fetch(`${server.url}/api/v1/intake/recipients?category=bullying&unit=nw-cid`)).json();
    // Sealing is the browser's work, not the server's: a few real sealed bodies, each sent with a fresh
    // random access hash and reporter key (the server checks only that each is 32 bytes and unused, and
    // that the key is not of small order), so every request is a new case.
    const bodies: SubmitReport[] = Array.from({ length: TEMPLATES }, (_, n) =>
      sealSubmission({ mode: 'anonymous', category: 'bullying', unit: 'nw-cid', report: { narrative: `bench ${n}` } }, recipients.recipients).body);
    let n = 0;
    const authorization = reporterSession(demoCaseToken(1)).authorization;
    // SQLite: the server commits with synchronous=NORMAL and answers only after an fdatasync of the WAL
    // (db/durability.ts): as durable as FULL, with the sync off the event loop.
    const label = kind === 'sqlite' ? 'SQLite, WAL synced before each answer' : 'PostgreSQL';

    // The status check is padded to 64 KiB steps (a privacy property): besides the ratio to the
    // tiny bare route, a ratio to a bare route sending as many bytes shows the portal's own share.
    if (ONLY !== 'reports') {
      const size = (await (await fetch(`${server.url}/api/v1/case`, { headers: { authorization } })).arrayBuffer()).byteLength;
      const bare1 = await measure({ url: `${bare.url}/bare` }, bare);
      const status = await measure({ url: `${server.url}/api/v1/case`, headers: { authorization } }, server);
      const barePadded = await measure({ url: `${bare.url}/bare/bytes/${size}` }, bare);
      out.push(progress(line(`GET /api/v1/case (${label})`, status, bare1)));
      out.push(progress(line(`  same, against a bare ${Math.round(size / 1024)} KiB answer`, status, barePadded)));
    }
    if (ONLY !== 'case') {
      const bare2 = await measure({ url: `${bare.url}/bare` }, bare);
      bareForPosts = bare2;
      const posted = await measure({
        url: server.url,
        requests: [{
          method: 'POST', path: '/api/v1/reports', headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({
            ...req,
            headers: { ...req.headers, [POW_HEADER]: stampWith(powKey) },
            body: JSON.stringify({ ...bodies[n++ % TEMPLATES]!, accessHash: randomBytes(32).toString('base64url'), reporterPk: randomBytes(32).toString('base64url') }),
          }),
        }],
      }, server);
      submitted = posted.okTotal;
      out.push(progress(line(`POST /api/v1/reports (${label})`, posted, bare2)));
    }
  } finally {
    await server.stop();
  }
  try {
    if (ONLY !== 'case') out.push(`  ${submitted} submissions acknowledged (warm-up included), ${(await caseCount(db.url)) - before} new cases stored`);
    if (kind === 'sqlite' && bareForPosts) {
      // What SQLite alone costs for those rows (sqlite-floor.ts): a bound no server on one core can pass.
      const floor = sqliteFloor(db.url);
      const perSecond = 1e6 / floor.cpuUsPerSubmission;
      out.push(progress(`  SQLite's own work per submission (same rows and indexes, raw statements, ${floor.submissions} more): ` +
        `${(floor.cpuUsPerSubmission / 1000).toFixed(3)} ms CPU = at most ${perSecond.toFixed(0)}/s on one core = ${(perSecond / bareForPosts.perSecond).toFixed(3)}× bare`));
    }
  } finally {
    await db.cleanup();
  }
  return out;
}

async function caseCount(url: string): Promise<number> {
  const check = createDb(url);
  try {
    return toCount((await check.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
  } finally {
    await check.close();
  }
}
