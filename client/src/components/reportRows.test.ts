import { describe, expect, it } from 'vitest';
import { accountRows, textRows } from './reportRows.ts';

describe('report rows', () => {
  it('lists the account in answer order and leaves out blank answers', () => {
    const rows = accountRows({ schema: 'rc1/report', narrative: 'It happened', where: '  ', witnesses: 'PC Smith' });
    expect(rows).toEqual([
      { key: 'What happened', value: 'It happened' },
      { key: 'Witnesses', value: 'PC Smith' },
    ]);
    expect(textRows([['A', undefined], ['B', 'b']])).toEqual([{ key: 'B', value: 'b' }]);
  });
});
