import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCluster, parseYamlDocuments, DEFAULT_LIMITS, traceProbe } from '@netplay/engine';
import { sandbox200 } from '../../bench/sandbox-200';
import { analyze, manifestFiles } from './analyze';
import { DocumentCache, splitDocuments } from './document-cache';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);

describe('parsing only the documents a keystroke changed', () => {
  it('cuts at document markers only, and the pieces join back to the text', () => {
    const text = '# head\napiVersion: v1\n---\nkind: A\n--- {kind: B}\nx: "---"\n...\n---\n';
    const chunks = splitDocuments(text);
    expect(chunks.join('')).toBe(text);
    expect(chunks).toEqual([
      '# head\napiVersion: v1\n',
      '---\nkind: A\n',
      '--- {kind: B}\nx: "---"\n',
      '...\n',
      '---\n',
    ]);
  });

  it.each([
    ['the website example', WEBSITE],
    ['a syntax error in the second document', 'kind: Pod\n---\nkind: [\n---\nkind: Service\n'],
    [
      'empty and comment-only documents',
      '---\n# nothing\n---\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n',
    ],
    [
      'a List',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n---\nkind: Pod\n',
    ],
  ])('numbers documents and issues as the whole-text parse does: %s', (_name, text) => {
    const files = manifestFiles(text, { cni: 'calico' });
    expect(new DocumentCache().parse(files)).toEqual(parseYamlDocuments(files, DEFAULT_LIMITS));
  });

  it('gives the cluster and trace a fresh load gives, edit after edit (cached documents are not changed by a load)', () => {
    const { manifests, probe } = sandbox200();
    for (let i = 0; i < 4; i++) {
      const edited = `${manifests}\n# edit ${i}\n`;
      const cached = analyze({ manifests: edited, probe });
      const fresh = loadCluster(manifestFiles(edited));
      expect(cached.trace).toEqual(traceProbe(fresh.state!, probe));
      expect(cached.picture!.nodes.flatMap((n) => n.pods).length).toBe(fresh.state!.pods.size);
    }
  });
});
