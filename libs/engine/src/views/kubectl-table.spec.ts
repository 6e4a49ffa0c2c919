import { formatTable } from './kubectl-table';

describe('formatTable (kubectl tabwriter: minwidth 6, padding 3)', () => {
  it('pads every column but the last to its widest cell plus 3 spaces, as in the seed kube-dns listing', () => {
    const text = formatTable(
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      [['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP', '178m']],
    );
    expect(text).toBe(
      'NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n' +
        'kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   178m\n',
    );
  });

  it('never makes a column narrower than 6 characters', () => {
    expect(formatTable(['A', 'B'], [['x', 'y']])).toBe('A     B\nx     y\n');
  });

  it('leaves no trailing spaces when the last column is short', () => {
    const lines = formatTable(['NAME', 'AGE'], [['website', '1m']]).split('\n');
    expect(lines.every((l) => l === l.trimEnd())).toBe(true);
  });
});
