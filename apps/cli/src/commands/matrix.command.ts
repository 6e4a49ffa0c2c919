import { Command, Option } from 'commander';
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
  renderMatrixSvg,
  renderMatrixTable,
} from '../engine';
import { loadInput } from '../load-input';
import {
  ASSERTION_OPTIONS,
  enforceAssertions,
  parsePort,
  PROTOCOL_OPTION,
  readAssertions,
  toProtocol,
  type AssertionFlags,
} from './matrix-options';
import { namespaceOption } from './shared-options';

interface MatrixCommandOptions extends AssertionFlags {
  port: string;
  protocol: string;
  namespace?: string;
  external?: boolean;
  format?: string;
  json?: boolean;
  csv?: boolean;
  md?: boolean;
  grouped?: boolean;
  full?: boolean;
}

const FORMATS = ['text', 'json', 'csv', 'md', 'svg'] as const;
type MatrixFormat = (typeof FORMATS)[number];

/** Above this many peers the text and SVG forms show only the grouped table unless --full is given. */
const FULL_TABLE_LIMIT = 60;

/** `netplay matrix FILE... [--port 80] [--protocol tcp] [-n NS] [--external] [--format text|json|csv|md|svg] [--grouped|--full] [--assert-open C] [--assert-closed C]` */
export function matrixCommand(ctx: CommandContext): Command {
  const command = new Command('matrix')
    .description('who can reach whom under the network policies: pod × pod truth table on one port')
    .argument('<files...>', 'manifest files or directories, - for stdin')
    .option('--port <port>', 'destination pod port (after Service DNAT)', '80')
    .addOption(PROTOCOL_OPTION())
    .addOption(
      namespaceOption(
        'only pods of this namespace as rows and columns; also the namespace of objects that name none',
      ),
    )
    .option(
      '--external',
      "add the address ranges the policies' ipBlocks cut out, as [External] peers",
    )
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]))
    .option('--json', 'print the matrix (and its groups) as JSON, same as --format json')
    .option('--csv', 'print the full matrix as CSV, same as --format csv')
    .option('--md', 'print the full matrix as a Markdown table, same as --format md')
    .option(
      '--grouped',
      'print only the grouped table (pods with identical rows and columns merged)',
    )
    .option('--full', 'print the full table however many pods there are');
  for (const option of ASSERTION_OPTIONS()) command.addOption(option);
  return command.action((files: string[], opts: MatrixCommandOptions) => {
    const port = parsePort(opts.port);
    if (port === null) {
      ctx.output.err(`error: --port ${opts.port}: must be a number 1-65535`);
      return ctx.exit(EXIT_BAD_INPUT);
    }
    const chosen = [opts.format, opts.json && 'json', opts.csv && 'csv', opts.md && 'md'].filter(
      (f): f is MatrixFormat => !!f,
    );
    if (new Set(chosen).size > 1) {
      ctx.output.err('error: --format, --json, --csv and --md cannot ask for different formats');
      return ctx.exit(EXIT_BAD_INPUT);
    }
    const format: MatrixFormat = chosen[0] ?? 'text';
    const assertions = readAssertions(opts, opts.namespace, ctx);
    if (!assertions) return;
    const loaded = loadInput(files, ctx.io, ctx.output, {
      namespace: opts.namespace,
      enforceNamespace: false,
    });
    if (!loaded) return ctx.exit(EXIT_BAD_INPUT);
    const { state } = loaded;
    const protocol = toProtocol(opts.protocol);
    const options = { port, protocol, namespace: opts.namespace, includeExternal: opts.external };
    if (opts.grouped && format === 'text') {
      // Straight from the compiled policy classes: no pod × pod matrix, so it scales to 100,000 pods.
      const grouped = groupedConnectivity(state, options);
      ctx.output.stdout +=
        renderGroupedTable(grouped) + grouped.notes.map((n) => `note: ${n}\n`).join('');
    } else {
      const matrix = connectivityMatrix(state, options);
      const showFull = !opts.grouped && (opts.full || matrix.peers.length <= FULL_TABLE_LIMIT);
      if (format === 'json')
        ctx.output.out(
          JSON.stringify(
            { ...matrixJson(matrix, groupMatrix(matrix)), issues: loaded.issues },
            null,
            2,
          ),
        );
      else if (format === 'csv') ctx.output.stdout += renderMatrixCsv(matrix);
      else if (format === 'md') ctx.output.stdout += renderMatrixMarkdown(matrix);
      else if (format === 'svg')
        ctx.output.stdout += renderMatrixSvg(matrix, showFull ? undefined : groupMatrix(matrix));
      else {
        const grouped = renderGroupedTable(groupMatrix(matrix));
        let text = showFull ? `${renderMatrixTable(matrix)}\n${grouped}` : grouped;
        if (!showFull)
          text += `(${matrix.peers.length} peers: full table left out, use --full, --csv or --json)\n`;
        ctx.output.stdout += text + matrix.notes.map((n) => `note: ${n}\n`).join('');
      }
    }
    enforceAssertions(state, assertions, { port, protocol }, ctx);
  });
}
