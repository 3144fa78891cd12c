// The reporter's padded answers (plugins/pad.ts): the buffer built for the wire
// holds exactly the bytes of the padded JSON, for multi-byte text and at the
// edges of a 64 KiB step, and its length is always a whole number of steps.
import { describe, expect, it } from 'vitest';
import { padJson, padJsonBytes, RESPONSE_STEP } from '../src/plugins/pad.ts';

describe('padJsonBytes', () => {
  it('is padJson as UTF-8 bytes, a multiple of 64 KiB, and leaves non-objects alone', () => {
    const bodies = ['{}', '{"a":1}', `{"x":"${'é'.repeat(40_000)}"}`, `{"y":"${'a'.repeat(RESPONSE_STEP - 16)}"}`, `{"z":"${'a'.repeat(RESPONSE_STEP - 10)}"}`];
    for (const body of bodies) {
      const bytes = padJsonBytes(body) as Buffer;
      expect(Buffer.isBuffer(bytes)).toBe(true);
      expect(bytes.equals(Buffer.from(padJson(body)))).toBe(true);
      expect(bytes.length % RESPONSE_STEP).toBe(0);
      expect(JSON.parse(bytes.toString('utf8'))).toMatchObject(JSON.parse(body));
    }
    expect(padJsonBytes('[1]')).toBe('[1]');
  });
});
