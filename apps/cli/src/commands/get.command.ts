import { Command, Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import { formatIssue, getView, resolveKind, VIEW_KINDS } from '../engine';
import { loadInput } from '../load-input';
import { namespaceOption } from './shared-options';

interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  output?: 'wide' | 'json' | 'yaml';
  showLabels?: boolean;
  pod?: string;
  node?: string;
  kubeProxyOnly?: boolean;
}

/** `netplay get KIND FILE... [-n NS | -A] [-o wide|json|yaml]`, plus the node-level views. */
export function getCommand(ctx: CommandContext): Command {
  return new Command('get')
    .description('print what kubectl get would show, or a look inside a pod or node')
    .argument(
      '<kind>',
      'pods, services, endpoints, endpointslices, nodes, deployments, replicasets, statefulsets, daemonsets, namespaces, networkpolicies, ingresses, gateways, httproutes (several joined by commas: pods,svc), or a node-level view: resolv.conf, env, dns-records, kube-proxy-rules, cni-rules, routes',
    )
    .argument('<files...>', 'manifest files or directories, - for stdin')
    .addOption(
      namespaceOption(
        'namespace to list (default: default); also the namespace of objects that name none',
      ),
    )
    .option('-A, --all-namespaces', 'list across all namespaces')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['wide', 'json', 'yaml']),
    )
    .option('--show-labels', 'add a LABELS column')
    .option('--pod <pod>', 'for resolv.conf, env and routes: ns/name')
    .option('--node <node>', 'for kube-proxy-rules, cni-rules and routes: the node name')
    .option(
      '--kube-proxy-only',
      "for kube-proxy-rules: kube-proxy's own rule input, without the built-in chains' jumps",
    )
    .action((kind: string, files: string[], opts: GetOptions) => {
      const unknown = kind.split(',').find((k) => !resolveKind(k));
      if (unknown !== undefined) {
        ctx.output.err(
          `error: the server doesn't have a resource type "${unknown}" (known: ${VIEW_KINDS.join(', ')})`,
        );
        return ctx.exit(EXIT_BAD_INPUT);
      }
      if (opts.namespace && opts.allNamespaces) {
        ctx.output.err('error: -n and -A cannot be used together');
        return ctx.exit(EXIT_BAD_INPUT);
      }
      // Like `kubectl get -n` on a cluster of many namespaces: objects elsewhere stay where they are.
      const loaded = loadInput(files, ctx.io, ctx.output, {
        namespace: opts.namespace,
        enforceNamespace: false,
      });
      if (!loaded) return ctx.exit(EXIT_BAD_INPUT);
      const view = getView(loaded.state, kind, {
        namespace: opts.namespace,
        all: opts.allNamespaces,
        output: opts.output,
        showLabels: opts.showLabels,
        pod: opts.pod,
        node: opts.node,
        kubeProxyOnly: opts.kubeProxyOnly,
      });
      for (const issue of view.issues) ctx.output.err(`${issue.severity}: ${formatIssue(issue)}`);
      if (view.issues.some((i) => i.severity === 'error')) return ctx.exit(EXIT_BAD_INPUT);
      ctx.output.stdout += view.text;
    });
}
