import { locateField, locateIssues, parseForPositions, splitFieldPath } from './yaml-positions';

const TEXT = `# a comment-only first document is skipped, as kubectl skips it
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 99999
      name: http
---
apiVersion: v1
kind: Pod
metadata:
  name: client
`;

describe('locating engine issues in the YAML', () => {
  it('splits field paths with indexes and quoted keys', () => {
    expect(splitFieldPath('spec.ports[0].port')).toEqual(['spec', 'ports', 0, 'port']);
    expect(splitFieldPath('metadata.labels["app.kubernetes.io/name"]')).toEqual([
      'metadata',
      'labels',
      'app.kubernetes.io/name',
    ]);
  });

  it('finds the field an issue names, counting only non-empty documents', () => {
    const range = locateField(parseForPositions(TEXT), 1, 'spec.ports[0].port');
    expect(range).toBeDefined();
    expect(TEXT.slice(range!.from, range!.to)).toBe('port: 99999');
  });

  it('points a missing field at the deepest field that exists', () => {
    const parsed = parseForPositions(TEXT);
    const inList = locateField(parsed, 1, 'spec.ports[0].targetPort');
    expect(TEXT.slice(inList!.from, inList!.to)).toBe('port: 99999');
    const noSpec = locateField(parsed, 2, 'spec.containers');
    expect(TEXT.slice(noSpec!.from, noSpec!.to)).toBe('apiVersion: v1');
    expect(TEXT.slice(0, noSpec!.from)).toContain('name: http\n---\n');
  });

  it('gives each issue its line, shifted by documents read before the text', () => {
    const located = locateIssues(
      TEXT,
      [
        { doc: 2, path: 'spec.ports[0].port', message: 'must be between 1 and 65535' },
        { doc: 3, path: 'metadata.name', message: 'taken' },
        { message: 'no document' },
      ],
      1,
    );
    expect(located.map((l) => l.line)).toEqual([9, 15, 1]);
  });

  it('places a YAML syntax error where the parser found it', () => {
    const broken = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n';
    const parsed = parseForPositions(broken);
    const message = parsed.documents[0].errors[0].message;
    const [located] = locateIssues(broken, [{ doc: 1, message }]);
    expect(located.line).toBeGreaterThanOrEqual(4);
  });
});
