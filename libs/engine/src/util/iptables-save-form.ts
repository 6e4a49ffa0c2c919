/**
 * iptables-save's canonical form of a rule. kube-proxy (and the CNI plugins) write rules in their
 * own argument order (`-m comment ... -m tcp -p tcp -d 10.96.0.1 --dport 443`); after
 * iptables-restore the kernel keeps only the parsed match and target structures, and iptables-save
 * prints them back in a fixed order: the IP header fields first (`-s`, `-d`, `-i`, `-o`, `-p`, with
 * `/32` on single addresses), then each match module with its options in the order given, then the
 * target with its options in their saved spelling (`--or-mark 0x4000` is saved as
 * `--set-xmark 0x4000/0x4000`). The kernel lane loads both forms and compares with iptables-save.
 */

const HEADER_FLAGS = ['-s', '-d', '-i', '-o', '-p'] as const;
type HeaderFlag = (typeof HEADER_FLAGS)[number];
const ADDRESS_FLAGS = new Set<string>(['-s', '-d']);

/** Splits a rule into arguments, keeping a double-quoted argument (a comment) as one. */
export function ruleArguments(rule: string): string[] {
  const args: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = pattern.exec(rule); m; m = pattern.exec(rule))
    args.push(m[1] !== undefined ? m[1] : m[2]);
  return args;
}

/** xt_statistic stores the probability as a 31-bit fraction and prints it with 11 decimals. */
function savedProbability(text: string): string {
  const stored = Math.round(Number(text) * 0x80000000);
  return (stored / 0x80000000).toFixed(11);
}

/** xt_recent saves its command and timing first, then the list name, mask and side. */
function savedRecent(options: string[]): string[] {
  const value = (flag: string) => {
    const at = options.indexOf(flag);
    return at === -1 ? undefined : options[at + 1];
  };
  const out: string[] = [];
  for (const command of ['--set', '--rcheck', '--update', '--remove'])
    if (options.includes(command)) out.push(command);
  const seconds = value('--seconds');
  if (seconds !== undefined) out.push('--seconds', seconds);
  if (options.includes('--reap')) out.push('--reap');
  out.push('--name', value('--name') ?? 'DEFAULT', '--mask', value('--mask') ?? '255.255.255.255');
  out.push(options.includes('--rdest') ? '--rdest' : '--rsource');
  return out;
}

function address(value: string): string {
  return value.includes('/') ? value : `${value}/32`;
}

/** iptables-save prints comments (and the other string options) double-quoted. */
function quoted(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** One `-A CHAIN ...` line in kube-proxy's order → the line iptables-save prints for it. */
export function saveForm(rule: string): string {
  const args = ruleArguments(rule);
  if (args[0] !== '-A' || args.length < 2) return rule;
  const chain = args[1];
  const header = new Map<HeaderFlag, string>();
  const rest: string[] = [];
  for (let i = 2; i < args.length; i++) {
    const negated = args[i] === '!' && HEADER_FLAGS.includes(args[i + 1] as HeaderFlag);
    const flag = (negated ? args[i + 1] : args[i]) as HeaderFlag;
    if (HEADER_FLAGS.includes(flag)) {
      const raw = args[i + (negated ? 2 : 1)];
      const value = ADDRESS_FLAGS.has(flag) ? address(raw) : raw;
      header.set(flag, `${negated ? '! ' : ''}${flag} ${value}`);
      i += negated ? 2 : 1;
      continue;
    }
    rest.push(args[i]);
  }
  const body: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const next = rest[i + 1];
    if (arg === '--comment' && next !== undefined) {
      body.push(arg, quoted(next));
      i++;
    } else if (arg === '--probability' && next !== undefined) {
      body.push(arg, savedProbability(next));
      i++;
    } else if (arg === '--or-mark' && next !== undefined) {
      body.push('--set-xmark', `${next}/${next}`);
      i++;
    } else if (arg === '--xor-mark' && next !== undefined) {
      body.push('--set-xmark', `${next}/0x0`);
      i++;
    } else if (arg === 'recent' && rest[i - 1] === '-m') {
      const end = rest.findIndex((a, j) => j > i && (a === '-m' || a === '-j'));
      body.push(arg, ...savedRecent(rest.slice(i + 1, end === -1 ? rest.length : end)));
      i = (end === -1 ? rest.length : end) - 1;
    } else body.push(arg);
  }
  // REJECT without --reject-with is saved with its default.
  if (body[body.length - 1] === 'REJECT' && body[body.length - 2] === '-j')
    body.push('--reject-with', 'icmp-port-unreachable');
  const ordered = HEADER_FLAGS.flatMap((f) => (header.has(f) ? [header.get(f) as string] : []));
  return ['-A', chain, ...ordered, ...body].join(' ');
}

/** One table as the rule writer built it: the chains it declares and its rules in order. */
export interface IptablesTable {
  name: 'filter' | 'nat' | 'mangle';
  /** User-defined chains to declare (built-in chains are always printed). */
  chains: string[];
  rules: string[];
}

const BUILTIN_CHAINS: Record<IptablesTable['name'], string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

function chainOf(rule: string): string {
  return rule.split(' ', 3)[1] ?? '';
}

/**
 * The tables as iptables-save (nf_tables backend) prints them once loaded: tables in the order
 * mangle, filter, nat; built-in chains first with their ACCEPT policy, then user chains sorted by
 * name; the rules grouped by chain in that order, each chain's rules in their original order.
 * Counters are zero (nothing has been counted in a freshly loaded ruleset); the
 * `# Generated by` / `# Completed on` comments iptables-save adds are left out.
 */
export function formatIptablesSave(tables: IptablesTable[]): string {
  const order: IptablesTable['name'][] = ['mangle', 'filter', 'nat'];
  const out: string[] = [];
  for (const name of order) {
    const table = tables.find((t) => t.name === name);
    if (!table) continue;
    const builtins = BUILTIN_CHAINS[name];
    const userChains = [...new Set(table.chains)].filter((c) => !builtins.includes(c)).sort();
    const byChain = new Map<string, string[]>();
    for (const rule of table.rules) {
      const saved = saveForm(rule);
      const chain = chainOf(saved);
      const list = byChain.get(chain) ?? [];
      list.push(saved);
      byChain.set(chain, list);
    }
    out.push(`*${name}`);
    out.push(...builtins.map((c) => `:${c} ACCEPT [0:0]`));
    out.push(...userChains.map((c) => `:${c} - [0:0]`));
    for (const chain of [...builtins, ...userChains]) out.push(...(byChain.get(chain) ?? []));
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}
