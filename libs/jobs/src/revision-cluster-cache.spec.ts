import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RevisionClusterCache } from './revision-cluster-cache';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../examples/manifests/website.yaml'),
  'utf8',
);
const BROKEN =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 99999\n';

describe('RevisionClusterCache', () => {
  it.each([
    ['a revision that loads', WEBSITE, true],
    ['a revision whose manifests have errors', BROKEN, false],
  ])('keeps the load of %s and hands the same result back', (_name, manifests, loads) => {
    const cache = new RevisionClusterCache();
    expect(cache.get('rev-1')).toBeUndefined();
    const cached = cache.load('rev-1', { manifests, clusterSettings: {}, sandboxId: 'sandbox-1' });
    expect(cached.loaded.state !== null).toBe(loads);
    expect(cache.get('rev-1')).toBe(cached);
    expect(cached.sandboxId).toBe('sandbox-1');
  });

  it('drops the least recently used revision once full', () => {
    const cache = new RevisionClusterCache(2);
    cache.load('rev-1', { manifests: WEBSITE, clusterSettings: {}, sandboxId: 'sandbox-1' });
    cache.load('rev-2', { manifests: WEBSITE, clusterSettings: {}, sandboxId: 'sandbox-1' });
    cache.get('rev-1');
    cache.load('rev-3', { manifests: WEBSITE, clusterSettings: {}, sandboxId: 'sandbox-1' });
    expect([
      cache.get('rev-1') !== undefined,
      cache.get('rev-2') !== undefined,
      cache.get('rev-3') !== undefined,
    ]).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
  });

  it('applies the cluster settings of the revision', () => {
    const cache = new RevisionClusterCache();
    const { loaded } = cache.load('rev-1', {
      manifests: WEBSITE,
      clusterSettings: { podCIDR: 'not-a-cidr' },
      sandboxId: 'sandbox-1',
    });
    expect(loaded.state).toBeNull();
    expect(loaded.issues.some((issue) => issue.file === 'cluster-settings')).toBe(true);
  });
});
