// What every long-running entry point does once it has a server: say where it
// listens, and shut down cleanly on SIGINT/SIGTERM (10 s at most).
import type { Started } from './start.ts';

export function runUntilSignalled(started: Started): void {
  console.log(`Raising concerns portal listening on ${started.url}`);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await started.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** One clear line and exit 1: a start that fails must say why, not print a stack. */
export function startFailed(err: unknown): never {
  console.error(`Could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
