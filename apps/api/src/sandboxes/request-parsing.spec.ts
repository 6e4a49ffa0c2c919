import { decodeCursor, encodeCursor } from '@netplay/db';
import { ApiError } from '../errors/api-error';
import { expectedVersion } from './if-match';
import { manifestsText, validateManifests } from './manifest-input';

function codeOf(work: () => unknown): string {
  try {
    work();
    return 'ok';
  } catch (error) {
    return error instanceof ApiError ? error.code : 'threw';
  }
}

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
  it('stores a JSON array of objects as multi-document YAML', () => {
    const text = manifestsText([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } },
    ]);
    expect(text).toBe(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n',
    );
  });

  it.each([[42], [[1]], [null], [{ kind: 'Pod' }]])(
    'refuses %p as manifests with a 400 naming the field',
    (input) => {
      expect(codeOf(() => manifestsText(input))).toBe('validation-failed');
    },
  );

  it("rejects invalid manifests with the engine's issue (doc, object, path, message)", () => {
    const yaml =
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 70000}]\n';
    let caught: unknown;
    try {
      validateManifests(yaml);
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

  it('accepts valid manifests', () => {
    expect(
      codeOf(() => validateManifests('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n')),
    ).toBe('ok');
  });
});
