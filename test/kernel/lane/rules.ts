import { execInNs } from './shell';
import { sections, view, type KernelCluster } from './topology';

/** Without comments, and with chain counters zeroed: packets may pass a chain before it is listed. */
export function normalizeIptablesSave(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#') && l !== '')
    .map((l) => (l.startsWith(':') ? l.replace(/\[\d+:\d+\]$/, '[0:0]') : l))
    .join('\n');
}

/** `ipset save` without what the kernel adds to a hash set's header (bucketsize, a random initval); members as a sorted set per set. */
export function normalizeIpset(text: string): string {
  const out: string[] = [];
  let members: string[] = [];
  const flush = () => {
    out.push(...members.sort());
    members = [];
  };
  for (const line of text.split('\n').filter(Boolean)) {
    if (line.startsWith('create ')) {
      flush();
      out.push(line.replace(/ bucketsize \d+/, '').replace(/ initval 0x[0-9a-f]+/, ''));
    } else members.push(line);
  }
  flush();
  return out.join('\n');
}

/**
 * `nft list` prints map and set elements in the kernel's hash order, wrapped to its own width:
 * both texts get their element lists sorted and put on one line before comparing. Everything
 * else (objects, their order, every rule) must match exactly.
 */
export function normalizeNft(text: string): string {
  return normalizeIptablesSave(text)
    .replace(/elements = \{([^}]*)\}/g, (_m, body: string) => {
      const items = body
        .split(/,\s*\n?/)
        .map((s) => s.replace(/\s+/g, ' ').trim())
        .filter(Boolean)
        .sort();
      return `elements = { ${items.join(', ')} }`;
    })
    .split('\n')
    .filter((l) => l.trim() !== '')
    .join('\n');
}

export interface LoadReport {
  /** Per node and view: the difference between what the view printed and what the kernel lists back (empty when equal). */
  mismatches: string[];
}

/**
 * Loads each node's `get kube-proxy-rules` and the iptables part of `get cni-rules` unchanged, and
 * checks that the kernel lists back exactly what the views printed: iptables-save after
 * iptables-restore, `nft list table ip kube-proxy` after `nft -f`. The CNI's tables are compared in
 * a scratch namespace first (alone there, so the listing is theirs only; each distinct text once),
 * then added to the node with `iptables-restore --noflush`. Nodes load side by side.
 */
export async function loadRules(cluster: KernelCluster, scratch: string): Promise<LoadReport> {
  const { state } = cluster;
  const mismatches: string[] = [];
  const mode = state.config.kubeProxy.mode;
  const cniTexts = new Map<string, string>();
  const setTexts = new Map<string, string>();
  await Promise.all(
    [...cluster.nodes].map(async ([nodeName, ns]) => {
      const rules = view(state, 'kube-proxy-rules', { node: nodeName });
      if (mode === 'iptables') {
        await execInNs(ns, 'iptables-restore', [], rules);
        const back = normalizeIptablesSave(await execInNs(ns, 'iptables-save', []));
        if (back !== normalizeIptablesSave(rules))
          mismatches.push(
            `${nodeName} kube-proxy-rules:\n${diffLines(normalizeIptablesSave(rules), back)}`,
          );
      } else if (mode === 'nftables') {
        await execInNs(ns, 'nft', ['-f', '-'], rules);
        const back = normalizeNft(await execInNs(ns, 'nft', ['list', 'table', 'ip', 'kube-proxy']));
        if (back !== normalizeNft(rules))
          mismatches.push(`${nodeName} kube-proxy-rules:\n${diffLines(normalizeNft(rules), back)}`);
      } else throw new Error(`kube-proxy mode ${mode} has no kernel implementation here`);
      const cni = sections(view(state, 'cni-rules', { node: nodeName }));
      const cniSets = cni.get('ipset save');
      if (cniSets) {
        await execInNs(ns, 'ipset', ['restore'], cniSets);
        setTexts.set(cniSets, nodeName);
      }
      const cniTables = cni.get('iptables-save');
      if (cniTables) {
        cniTexts.set(cniTables, nodeName);
        await execInNs(ns, 'iptables-restore', ['--noflush'], cniTables);
      }
    }),
  );
  // The CNI's sets first (its rules match on them), compared the same way.
  for (const [cniSets, nodeName] of setTexts) {
    await execInNs(scratch, 'ipset', ['restore', '-exist'], cniSets);
    const back = normalizeIpset(await execInNs(scratch, 'ipset', ['save']));
    if (back !== normalizeIpset(cniSets))
      mismatches.push(`${nodeName} cni-rules ipsets:\n${diffLines(normalizeIpset(cniSets), back)}`);
  }
  for (const [cniTables, nodeName] of cniTexts) {
    await execInNs(scratch, 'iptables-restore', [], cniTables);
    const back = normalizeIptablesSave(await execInNs(scratch, 'iptables-save', []));
    if (back !== normalizeIptablesSave(cniTables))
      mismatches.push(
        `${nodeName} cni-rules:\n${diffLines(normalizeIptablesSave(cniTables), back)}`,
      );
  }
  return { mismatches };
}

export function diffLines(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 12; i++)
    if (a[i] !== b[i]) out.push(`  view:   ${a[i] ?? '(none)'}\n  kernel: ${b[i] ?? '(none)'}`);
  return out.join('\n');
}
