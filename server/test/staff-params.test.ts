// POST /auth/params runs the same queries for known and unknown names (the
// fake-salt secret is read once at startup), and writes nothing.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { dialects } from './databases.ts';
import { makeApp, TEST_SECRET, type TestApp } from './helpers.ts';

class Recorder implements KyselyPlugin {
  kinds: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as RootOperationNode & { from?: { froms?: { table?: { identifier?: { name?: string } } }[] } };
    this.kinds.push(`${node.kind}:${node.from?.froms?.[0]?.table?.identifier?.name ?? ''}`);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> { return args.result; }
}

describe.each(dialects)('auth params on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => { t = await makeApp(dialect, { signIn: ['nw-bcu-psu-1'] }); }, 60_000);
  afterAll(async () => { await t?.close(); });

  it('runs one identical lookup for known and unknown names, with stable fake salts', async () => {
    const rec = new Recorder();
    const app = await buildApp({ db: t.tdb.handle.db.withPlugin(rec), clientDist: null, secret: TEST_SECRET });
    try {
      const ask = async (username: string) => {
        rec.kinds = [];
        const res = await app.inject({ method: 'POST', url: '/api/v1/staff/auth/params', payload: { username } });
        expect(res.statusCode).toBe(200);
        return { body: res.json(), kinds: rec.kinds };
      };
      const known = await ask('nw-bcu-psu-1');
      const unknown = await ask('nobody-at-all');
      expect(unknown.kinds).toEqual(known.kinds);
      expect(known.kinds).toEqual(['SelectQueryNode:staff']);
      expect(unknown.body.state).toBe('active');
      expect((await ask('nobody-at-all')).body).toEqual(unknown.body);
      // The same server secret across instances: another app gives the same fake salt.
      const other = await buildApp({ db: t.tdb.handle.db, clientDist: null, secret: TEST_SECRET });
      expect((await other.inject({ method: 'POST', url: '/api/v1/staff/auth/params', payload: { username: 'nobody-at-all' } })).json()).toEqual(unknown.body);
      await other.close();
    } finally {
      await app.close();
    }
  });
});
