import { decodeCursor, encodeCursor } from '@netplay/db';
import { ApiError } from '../errors/api-error';
import { expectedVersion } from './if-match';
import { ApiEngine } from '../engine/api-engine';
import { manifestsText, validateManifests } from './manifest-input';
import type { RateLimitsService } from '../throttling/rate-limits.service';

/** Records the engine time charged to each tenant, as RateLimitsService is told it. */
function engineTimeMeter() {
  const charged: Array<{ tenantId: string; ms: number }> = [];
  const meter = {
    chargeEngineTime: async (tenantId: string, ms: number) => {
      charged.push({ tenantId, ms });
    },
  } as unknown as RateLimitsService;
  return { charged, meter };
}

async function codeOfAsync(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    return error instanceof ApiError ? error.code : 'threw';
  }
}

const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`;

describe('pagination cursor', () => {
  it('round-trips a position', () => {
    const position = {
      createdAt: new Date('2026-01-02T03:04:05.678Z'),
      id: '9b2f4a5e-8a53-4c1e-9d0a-2b3c4d5e6f70',
    };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    '',
    'not-a-cursor',
    Buffer.from('2026-01-01T00:00:00Z|id|extra').toString('base64url'),
    Buffer.from('yesterday|id').toString('base64url'),
  ])('rejects %p', (cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});

describe('expectedVersion (If-Match / version)', () => {
  it.each<[string | undefined, number | undefined, number | string]>([
    ['"3"', undefined, 3],
    ['W/"3"', undefined, 3],
    ['3', undefined, 3],
    [undefined, 4, 4],
    ['"5"', 5, 5],
    ['"5"', 6, 'validation-failed'],
    ['"abc"', undefined, 'validation-failed'],
    [undefined, undefined, 'precondition-required'],
  ])('If-Match %p with body version %p gives %p', (ifMatch, bodyVersion, expected) => {
    let result: number | string;
    try {
      result = expectedVersion(ifMatch, bodyVersion);
    } catch (error) {
      result = error instanceof ApiError ? error.code : 'threw';
    }
    expect(result).toBe(expected);
  });
});

describe('manifest input', () => {
  let engine: ApiEngine;
  beforeAll(() => {
    engine = new ApiEngine(
      { enginePool: { threads: 2, budgetMs: 10_000, maxHeapMb: 256, threadNice: 10 } },
      engineTimeMeter().meter,
    );
  });
  afterAll(() => engine.onModuleDestroy());

  it('stores a JSON array of objects as multi-document YAML', async () => {
    const text = await manifestsText(engine, 'tenant-a', [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
    ]);
    expect(text).toBe(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n',
    );
  });

  it.each([[42], [[1]], [null], [{ kind: 'Pod' }]])(
    'refuses %p as manifests with a 400 naming the field',
    async (input) => {
      expect(await codeOfAsync(() => manifestsText(engine, 'tenant-a', input))).toBe(
        'validation-failed',
      );
    },
  );

  it("rejects invalid manifests with the engine's issue (doc, object, path, message)", async () => {
    const yaml =
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 70000}]\n';
    let caught: unknown;
    try {
      await validateManifests(engine, 'tenant-a', yaml);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    const error = caught as ApiError;
    expect(error.code).toBe('invalid-manifests');
    expect(error.details).toEqual({
      issues: [
        expect.objectContaining({
          severity: 'error',
          doc: 1,
          object: 'Service/default/web',
          path: 'spec.ports[0].port',
          message: expect.stringContaining('65535'),
        }),
      ],
    });
  });

  it('accepts valid manifests', async () => {
    expect(
      await codeOfAsync(() =>
        validateManifests(
          engine,
          'tenant-a',
          'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
        ),
      ),
    ).toBe('ok');
  });

  it('answers a billion replicas with engine-limit-exceeded naming the field and the limit', async () => {
    let caught: unknown;
    try {
      await validateManifests(engine, 'tenant-a', deployment(1_000_000_000));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    const error = caught as ApiError;
    expect(error.code).toBe('engine-limit-exceeded');
    expect(error.message).toBe(
      'manifests are invalid: Deployment/default/web spec.replicas: 1000000000 is more than the limit of 1000 replicas per workload',
    );
  });

  it('answers work over the budget with engine-budget-exceeded, charges its time, and the pool goes on', async () => {
    const { charged, meter } = engineTimeMeter();
    const tight = new ApiEngine(
      { enginePool: { threads: 1, budgetMs: 100, maxHeapMb: 256, threadNice: 10 } },
      meter,
    );
    try {
      const heavy = Array.from({ length: 9 }, (_, i) =>
        deployment(1_000).replace('name: web}', `name: web${i}}`),
      ).join('---\n');
      expect(await codeOfAsync(() => validateManifests(tight, 'tenant-a', heavy))).toBe(
        'engine-budget-exceeded',
      );
      // Stopped at its budget, it had a thread for at least that long, and its tenant pays for it.
      expect(charged).toEqual([{ tenantId: 'tenant-a', ms: expect.any(Number) }]);
      expect(charged[0].ms).toBeGreaterThanOrEqual(100);
      // The terminated thread was replaced: a task (with room for a loaded machine) completes.
      expect(await tight.pool.run({ kind: 'validate', files: [] }, { budgetMs: 60_000 })).toEqual(
        expect.objectContaining({ loads: true }),
      );
    } finally {
      await tight.onModuleDestroy();
    }
  }, 120_000);
});
