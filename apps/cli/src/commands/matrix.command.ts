import { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import {
  connectivityMatrix,
  groupedConnectivity,
  groupMatrix,
  matrixJson,
  renderGroupedTable,
  renderMatrixCsv,
  renderMatrixMarkdown,
  renderMatrixTable,
} from '../engine';
import { loadInput } from '../load-input';
import { parsePort, PROTOCOL_OPTION, toProtocol } from './matrix-options';

interface MatrixCommandOptions {
  port: string;
  protocol: string;
  namespace?: string;
  external?: boolean;
  json?: boolean;
  csv?: boolean;
  md?: boolean;
  grouped?: boolean;
  full?: boolean;
}

/** Above this many peers the text form shows only the grouped table unless --full is given. */
const FULL_TABLE_LIMIT = 60;

/** `netplay matrix FILE... [--port 80] [--protocol tcp] [--namespace NS] [--external] [--json|--csv|--md] [--grouped|--full]` */
export function matrixCommand(ctx: CommandContext): Command {
  return new Command('matrix')
    .description('who can reach whom under the network policies: pod × pod truth table on one port')
    .argument('<files...>', 'manifest files or directories, - for stdin')
    .option('--port <port>', 'destination pod port (after Service DNAT)', '80')
    .addOption(PROTOCOL_OPTION())
    .option('-n, --namespace <namespace>', 'only pods of this namespace as rows and columns')
    .option(
      '--external',
      "add the address ranges the policies' ipBlocks cut out, as [External] peers",
    )
    .option('--json', 'print the matrix (and its groups) as JSON')
    .option('--csv', 'print the full matrix as CSV')
    .option('--md', 'print the full matrix as a Markdown table')
    .option(
      '--grouped',
      'print only the grouped table (pods with identical rows and columns merged)',
    )
    .option('--full', 'print the full table however many pods there are')
    .action((files: string[], opts: MatrixCommandOptions) => {
      const port = parsePort(opts.port);
      if (port === null) {
        ctx.output.err(`error: --port ${opts.port}: must be a number 1-65535`);
        return ctx.exit(EXIT_BAD_INPUT);
      }
      if ([opts.json, opts.csv, opts.md].filter(Boolean).length > 1) {
        ctx.output.err('error: --json, --csv and --md cannot be used together');
        return ctx.exit(EXIT_BAD_INPUT);
      }
      const state = loadInput(files, ctx.io, ctx.output);
      if (!state) return ctx.exit(EXIT_BAD_INPUT);
      const options = {
        port,
        protocol: toProtocol(opts.protocol),
        namespace: opts.namespace,
        includeExternal: opts.external,
      };
      if (opts.grouped && !opts.json && !opts.csv && !opts.md) {
        // Straight from the compiled policy classes: no pod × pod matrix, so it scales to 100,000 pods.
        const grouped = groupedConnectivity(state, options);
        return void (ctx.output.stdout +=
          renderGroupedTable(grouped) + grouped.notes.map((n) => `note: ${n}\n`).join(''));
      }
      const matrix = connectivityMatrix(state, options);
      if (opts.json)
        return ctx.output.out(JSON.stringify(matrixJson(matrix, groupMatrix(matrix)), null, 2));
      if (opts.csv) return void (ctx.output.stdout += renderMatrixCsv(matrix));
      if (opts.md) return void (ctx.output.stdout += renderMatrixMarkdown(matrix));
      const grouped = renderGroupedTable(groupMatrix(matrix));
      const showFull = opts.full || matrix.peers.length <= FULL_TABLE_LIMIT;
      let text = showFull ? `${renderMatrixTable(matrix)}\n${grouped}` : grouped;
      if (!showFull)
        text += `(${matrix.peers.length} peers: full table left out, use --full, --csv or --json)\n`;
      ctx.output.stdout += text + matrix.notes.map((n) => `note: ${n}\n`).join('');
    });
}
