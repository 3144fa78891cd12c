// Prints a plain closing line, "tests: N passed, N failed, N skipped", after
// vitest's own summary, so CI can read the result whatever runner it knows.
//
// Under CI=true a skipped or todo test fails the run: in CI every service a
// test needs (PostgreSQL, Redis, Chromium, PyNaCl) is installed by .ci/run, so
// a skip there means a test that checked nothing while the run looked green.
// The suites themselves throw when a service is missing in CI; this is the
// backstop for any skip they do not catch (a stray it.skip, a todo, a
// ctx.skip() added later).
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { inCi } from './ci.ts';

function nameOf(t: TestCase): string {
  return `${t.module.relativeModuleId} > ${t.fullName}`;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const notRun: string[] = [];
    for (const m of modules) {
      // A file that fails to load has no tests but must still count as a failure.
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          notRun.push(`${t.options.mode === 'todo' ? 'todo' : 'skipped'}: ${nameOf(t)}`);
        }
      }
    }
    if (inCi() && notRun.length > 0) {
      process.stdout.write(`\nCI=true: ${notRun.length} test(s) did not run, which fails the run:\n`);
      for (const line of notRun) process.stdout.write(`  ${line}\n`);
      // vitest leaves exitCode alone on a run without failures, so this is what the shell sees.
      process.exitCode = 1;
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
