// An independent reporter client (PyNaCl + Python's standard library, written
// from docs/PROTOCOL.md alone) submits a report to a real server, reads it back,
// posts a message, then opens the stored envelopes from the SQLite file with
// the demo recovery key; it also uploads an attachment with the report and opens it from the
// database the same way, opens private record entries from docs/record-vectors.json and keeps a
// live record with a file in an entry. Proves the protocol page is enough to interoperate.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoStarted as Started } from '../../seeds/demo-server.ts';
import { hasPyNaCl, PYTHON } from '../../shared/test/python.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../shared/test/py_client.py', import.meta.url));

describe.runIf(hasPyNaCl())('an independent PyNaCl client against the server', () => {
  let server: Started;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rc-pyclient-'));
    server = await startDemoServer({ dbFile: join(dir, 'py.sqlite'), clientDist: null });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('solves stamps, submits, reads back, messages, and an auditor opens what was stored', async () => {
    const { stdout } = await run(PYTHON, [script, server.url, server.handle.file as string]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.team).toBe('cs-bcu-psu');
    expect(out.caseRef).toMatch(/^RC-/);
    expect(out.setCookie).toBe(false);
    expect(out.noStamp).toEqual([428, 'pow_required']);
    expect(out.rateHeaders).toEqual([]);
    expect(out.reportBack).toContain('Fennimore Quayle');
    expect(out.unknownKey).toEqual([404, 'case_not_found']);
    expect(out.auditorReport).toBe(out.reportBack);
    expect(out.auditorMessage).toEqual(['reporter', 'reporter', 'PyNaCl follow-up about Quayle']);
    // Private records: the vectors' entries opened from docs/record-vectors.json alone, then a live record.
    expect(out.recordVectorEntries).toEqual(['The sergeant took my radio and laughed a', 'Left off the rota again, zzzzzzzzzzzzzzz']);
    expect(out.recordLive).toEqual(['PyNaCl record entry about Quayle', 'F. Quayle', true, true]);
    // A file in the live record's entry: uploaded with the record token, opened back, its receipt checked; gone on deletion.
    expect(out.recordFile).toEqual(['diary.txt', true, true, 'ok', true, true, 'attachment']);
    expect(out.recordDeleted).toEqual([204, 404, 0, 0, 0]);
    // Receipts, checked from PROTOCOL.md "Receipts" alone: the live ones and the published vectors.
    expect(out.reportReceipt).toEqual(['ok', 'report', true, true]);
    expect(out.receiptTampered).toEqual(['bad_signature', 'hash_mismatch']);
    expect(out.messageReceipt).toEqual(['ok', 'message']);
    expect(out.receiptVectors).toEqual(['ok', 'ok', 'ok', 'ok']);
    const refused = out.receiptRefused as [string, string][];
    expect(refused.length).toBeGreaterThanOrEqual(8);
    for (const [got, want] of refused) expect(got).toBe(want);
    // An attachment uploaded in chunks (reversed order, one repeated), its hash agreed, opened from the file.
    expect(out.attachmentHash).toEqual([true, 2]);
    expect(out.auditorAttachment).toEqual(['rota.txt', true, true]);
  }, 120_000); // PyNaCl solves every stamp in Python: seconds on a loaded machine
});
