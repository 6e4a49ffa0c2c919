import { mismatches, parseTable, viewMismatches } from './scenario-expect';

describe('the scenario expectation matcher', () => {
  it.each([
    ['an equal scalar', { verdict: 'delivered' }, { verdict: 'delivered', extra: 1 }, 0],
    ['a different scalar', { verdict: 'delivered' }, { verdict: 'refused' }, 1],
    ['a matching regex', { pod: '/^website-/' }, { pod: 'website-abc' }, 0],
    ['a regex that does not match', { pod: '/^website-/' }, { pod: 'client' }, 1],
    ['a list of another length', { dns: [{ rcode: 'NXDOMAIN' }] }, { dns: [] }, 1],
    ['null against an object', { backend: null }, { backend: { pod: 'x' } }, 1],
    ['a missing field', { dropReason: 'NXDOMAIN' }, {}, 1],
    ['an included entry', { notes: { $includes: ['/Cilium/'] } }, { notes: ['a', 'Cilium x'] }, 0],
    ['an entry not included', { notes: { $includes: ['/Cilium/'] } }, { notes: ['a'] }, 1],
    ['an excluded entry present', { notes: { $excludes: ['/x/'] } }, { notes: ['x'] }, 1],
    ['an excluded entry absent', { notes: { $excludes: ['/x/'] } }, { notes: ['y'] }, 0],
    ['a list check against no list', { notes: { $includes: ['a'] } }, { notes: 'a' }, 1],
  ])('%s', (_case, expected, actual, count) => {
    expect(mismatches(expected, actual)).toHaveLength(count);
  });

  it('splits kubectl tables on runs of spaces but keeps single-space headers whole', () => {
    const table = parseTable('NAME   NOMINATED NODE   AGE\nweb    <none>           1m\n');
    expect(table).toEqual({
      header: ['NAME', 'NOMINATED NODE', 'AGE'],
      rows: [{ NAME: 'web', 'NOMINATED NODE': '<none>', AGE: '1m' }],
    });
  });

  it('reports a row that no table line matches', () => {
    expect(
      viewMismatches({ rows: [{ NAME: 'web', AGE: '2m' }] }, 'NAME   AGE\nweb    1m\n')[0],
    ).toContain('no row matches');
  });
});
