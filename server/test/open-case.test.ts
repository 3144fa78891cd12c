// The demo:open-case core opens seeded demo cases with the demo keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRecoveryKeyPair, demoStaffKeyPair } from '../../seeds/demo.ts';
import { generateKeyPair } from '../../shared/src/crypto/index.ts';
import { openCaseAsRecipient } from '../src/case/open-case.ts';
import { dialects } from './databases.ts';
import type { TestDb } from './databases.ts';
import { prepareDatabase } from '../src/setup.ts';

describe.each(dialects)('demo:open-case on $name', (dialect) => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await dialect.create();
    await prepareDatabase(tdb.handle, { demo: true, today: '2026-03-01', demoSignIn: [] });
    await prepareDatabase(tdb.handle, { demo: true, today: '2026-03-01', demoSignIn: [] }); // idempotent
  });
  afterAll(async () => { await tdb?.cleanup(); });

  const refs = async () => tdb.handle.db.selectFrom('cases').select(['case_ref', 'mode', 'team_id']).orderBy('id').execute();

  it('seeds three demo cases once', async () => {
    expect((await refs()).length).toBe(3);
  });

  it('opens every demo case with the recovery key, identity included', async () => {
    for (const c of await refs()) {
      const opened = await openCaseAsRecipient(tdb.handle.db, c.case_ref, [demoRecoveryKeyPair()]);
      expect(opened.report.narrative).toContain('Synthetic demo report');
      expect(opened.identity !== undefined).toBe(c.mode === 'named');
    }
  });

  it('shows identity only to staff allowed to see it', async () => {
    const named = (await refs()).find((c) => c.mode === 'named')!;
    const first = await openCaseAsRecipient(tdb.handle.db, named.case_ref, [demoStaffKeyPair(`${named.team_id}-1`)]);
    expect(first.identity?.name).toBe('Demo Reporter');
    const second = await openCaseAsRecipient(tdb.handle.db, named.case_ref, [demoStaffKeyPair(`${named.team_id}-2`)]);
    expect(second.report.schema).toBe('rc1/report');
    expect(second.identity).toBeUndefined();
    await expect(openCaseAsRecipient(tdb.handle.db, named.case_ref, [generateKeyPair()])).rejects.toThrow();
  });
});

describe('setup', () => {
  it('refuses to start outside demo mode without a recovery key', async () => {
    const tdb = await dialects[0]!.create();
    try {
      await expect(prepareDatabase(tdb.handle, { demo: false })).rejects.toThrow(/RECOVERY_PUBLIC_KEY/);
    } finally {
      await tdb.cleanup();
    }
  });
});
