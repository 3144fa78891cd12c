// serve:cluster — WORKERS processes of server.ts sharing one port (node:cluster),
// on PostgreSQL + Redis. Everything that must hold across them lives there:
// sessions, lockouts and the audit chain in the database, rate limits in Redis,
// migrations behind an advisory lock (each worker runs them; one does the work).
// A worker that dies after it started listening is replaced; one that fails to
// start stops the whole cluster (a bad database or configuration would only
// crash-loop), with exit code 1.
import cluster, { type Worker } from 'node:cluster';
import { ConfigError, loadConfig } from './config.ts';
import { startFailed } from './process.ts';

let config;
try {
  config = loadConfig(process.env, 'cluster');
} catch (err) {
  startFailed(err instanceof ConfigError ? err : new Error(String(err)));
}

// The worker script sits next to this one: server.ts under tsx, server.js once built.
const self = new URL(import.meta.url);
cluster.setupPrimary({ exec: new URL(self.pathname.endsWith('.ts') ? './server.ts' : './server.js', self).pathname });

const listening = new WeakSet<Worker>();
let stopping = false;
let failed = false;
const remaining = (): number => Object.keys(cluster.workers ?? {}).length;

function fork(): void {
  const worker = cluster.fork();
  worker.on('listening', () => listening.add(worker));
}

cluster.on('exit', (worker, code, signal) => {
  if (!stopping && !listening.has(worker)) {
    console.error(`Could not start: a worker failed during start (exit ${code ?? signal}); see its message above`);
    failed = true;
    stop('start failure');
  }
  if (stopping) {
    if (remaining() === 0) process.exit(failed ? 1 : 0);
    return;
  }
  console.error(`worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
  fork();
});

function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`${reason}: stopping workers`);
  for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
  setTimeout(() => process.exit(1), 12_000).unref();
}

for (let i = 0; i < config.workers; i++) fork();
console.log(`cluster of ${config.workers} workers`);
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
