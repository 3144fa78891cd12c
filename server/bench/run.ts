// npm run bench: the portal's throughput measured from another process with
// autocannon (BENCH_CONNECTIONS, default 32; BENCH_SECONDS, default 5), each
// route against a bare Fastify route (its own process) measured just before
// it in the same run. Prints ratios, never asserts. BENCH_ONLY=reporter|case|reports|inbox
// and BENCH_DIALECTS=sqlite,postgres narrow the run.
import type { DialectKind } from '../src/db/dialect.ts';
import { inboxBench } from './inbox.ts';
import { CONNECTIONS, SECONDS, startChild } from './load.ts';
import { reporterBench } from './reporter.ts';

const only = process.env.BENCH_ONLY;
const kinds = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as DialectKind[];
const bare = await startChild('bare.ts');
const lines: string[] = [];
try {
  for (const kind of kinds) {
    if (only !== 'inbox') lines.push(...await reporterBench(kind, bare));
  }
  for (const kind of kinds) {
    if (only === undefined || only === 'inbox') lines.push(...await inboxBench(kind, bare));
  }
} finally {
  await bare.stop();
}
console.log(`\n${CONNECTIONS} connections, ${SECONDS} s per run after a 1 s warm-up; load from this process, servers in their own`);
for (const l of lines) console.log(l);
