import { applySuggestion, changedWithContext, lineDiff } from './text-diff';

describe('line diffs', () => {
  it('marks added and removed lines between unchanged ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });

  it('keeps only the changes and their context, with a gap between hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 2', 'LINE 2').replace('line 17', 'LINE 17');
    const hunks = changedWithContext(lineDiff(before, after), 1);
    expect(hunks.filter((l) => l === null)).toHaveLength(1);
    expect(hunks.filter((l) => l && l.kind !== 'same').map((l) => l!.text)).toEqual([
      'line 2',
      'LINE 2',
      'line 17',
      'LINE 17',
    ]);
  });

  it('appends a suggested policy as a new document', () => {
    const fixed = applySuggestion('kind: Pod\n\n', '---\nkind: NetworkPolicy\n');
    expect(fixed).toBe('kind: Pod\n---\nkind: NetworkPolicy\n');
    expect(applySuggestion('', 'kind: NetworkPolicy')).toBe('kind: NetworkPolicy\n');
  });
});
