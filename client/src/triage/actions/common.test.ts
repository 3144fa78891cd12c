import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../../shared/src/api/domain.ts';
import { sealedTextErrors } from './common.tsx';

describe('sealed text checks', () => {
  it('asks for text, refuses text over the limit, and accepts the rest', () => {
    expect(sealedTextErrors('note', '  ', 'Enter a note', 'note')).toEqual([{ field: 'note', message: 'Enter a note' }]);
    expect(sealedTextErrors('note', 'x'.repeat(LIMITS.messageTextMax + 1), 'Enter a note', 'note')).toEqual([
      { field: 'note', message: 'Your note must be 20,000 characters or fewer' },
    ]);
    expect(sealedTextErrors('note', 'x'.repeat(LIMITS.messageTextMax), 'Enter a note', 'note')).toEqual([]);
  });
});
