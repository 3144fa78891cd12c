// The demo:open-case core opens seeded demo cases with the demo keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRecoveryKeyPair, demoStaffKeyPair } from '../../seeds/demo.ts';
import { generateKeyPair, toB64u } from '../../shared/src/crypto/index.ts';
import { openCaseAsRecipient } from '../src/case/open-case.ts';
import { dialects } from './databases.ts';
import type { TestDb } from './databases.ts';
import { prepareDemoDatabase } from '../../seeds/prepare.ts';
import { seedStructure } from '../../seeds/load.ts';
import { prepareDatabase } from '../src/setup.ts';

describe.each(dialects)('demo:open-case on $name', (dialect) => {
  let tdb: TestDb;
  beforeAll(async () => {
    tdb = await dialect.create();
    await prepareDemoDatabase(tdb.handle, { today: '2026-03-01', demoSignIn: [] });
    await prepareDemoDatabase(tdb.handle, { today: '2026-03-01', demoSignIn: [] }); // idempotent
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
  it('refuses to start without a (usable) recovery key, or before the force structure is loaded', async () => {
    const tdb = await dialects[0]!.create();
    try {
      await expect(prepareDatabase(tdb.handle, {})).rejects.toThrow(/RECOVERY_PUBLIC_KEY/);
      // All zero: well-formed, but every wrap to it would open for anyone.
      await expect(prepareDatabase(tdb.handle, { recoveryPublicKey: toB64u(new Uint8Array(32)) })).rejects.toThrow(/not a usable X25519 key/);
      const recoveryPublicKey = toB64u(generateKeyPair().publicKey);
      await expect(prepareDatabase(tdb.handle, { recoveryPublicKey })).rejects.toThrow(/structure:load/);
      await seedStructure(tdb.handle.db);
      await prepareDatabase(tdb.handle, { recoveryPublicKey });
      const active = await tdb.handle.db.selectFrom('recovery_keys').select('public_key').where('active', '=', 1).execute();
      expect(active).toEqual([{ public_key: recoveryPublicKey }]);
    } finally {
      await tdb.cleanup();
    }
  });
});
