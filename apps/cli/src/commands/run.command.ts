import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import {
  formatIssue,
  parseScenario,
  renderScenario,
  renderScenarioDot,
  renderScenarioMermaid,
  renderScenarioSvg,
  runScenario,
  type ManifestFile,
  type ScenarioResult,
} from '../engine';
import { readTextFile } from '../read-inputs';
import { TRACE_PICTURE_FORMATS, type TracePictureFormat } from '../render/print-trace';
import { chooseFormat } from './shared-options';

/** The API renders a run's pictures with the same functions (apps/api/src/runs/run-format.ts). */
const PICTURES: Record<TracePictureFormat, (result: ScenarioResult, name: string) => string> = {
  dot: renderScenarioDot,
  mermaid: (result) => renderScenarioMermaid(result),
  svg: renderScenarioSvg,
};

/** `netplay run SCENARIO.yaml [--format text|json|dot|mermaid|svg]`: `path:` manifests are read relative to the scenario file. */
export function runCommand(ctx: CommandContext): Command {
  return new Command('run')
    .description('run a scenario file: manifests, then probes, lookups, views and changes in order')
    .argument('<scenario>', 'a kind: Scenario YAML file, - for stdin')
    .addOption(
      new Option(
        '--format <format>',
        'output: text, json, or a picture of the traced steps',
      ).choices(['text', 'json', ...TRACE_PICTURE_FORMATS]),
    )
    .option('--json', 'print the step results as JSON, same as --format json')
    .action((scenarioPath: string, opts: { json?: boolean; format?: string }) => {
      const format = chooseFormat<TracePictureFormat>(opts, ctx);
      if (!format) return;
      const text = readTextFile(scenarioPath, ctx.io);
      if ('error' in text) {
        ctx.output.err(`error: ${text.error}`);
        return ctx.exit(EXIT_BAD_INPUT);
      }
      const parsed = parseScenario(text.content);
      for (const issue of parsed.issues)
        ctx.output.err(`${issue.severity}: ${scenarioPath}: ${formatIssue(issue)}`);
      if (!parsed.scenario) return ctx.exit(EXIT_BAD_INPUT);
      const base = scenarioPath === '-' ? ctx.io.cwd : dirname(resolve(ctx.io.cwd, scenarioPath));
      const manifests: ManifestFile[] = [];
      parsed.scenario.manifests.forEach((source, i) => {
        if ('inline' in source)
          return manifests.push({
            name: `${scenarioPath} manifests[${i}]`,
            content: source.inline,
          });
        const file = readTextFile(resolve(base, source.path), ctx.io);
        if ('error' in file)
          ctx.output.err(`error: ${scenarioPath}: spec.manifests[${i}]: ${file.error}`);
        else manifests.push({ name: source.path, content: file.content });
      });
      if (manifests.length !== parsed.scenario.manifests.length) return ctx.exit(EXIT_BAD_INPUT);
      const result = runScenario({ manifests, steps: parsed.scenario.steps });
      for (const issue of result.issues) ctx.output.err(`${issue.severity}: ${formatIssue(issue)}`);
      if (result.issues.some((i) => i.severity === 'error')) return ctx.exit(EXIT_BAD_INPUT);
      const name = parsed.scenario.name;
      if (format === 'json') ctx.output.out(JSON.stringify({ scenario: name, ...result }, null, 2));
      else if (format === 'text') ctx.output.out(renderScenario(name, result));
      else ctx.output.out(PICTURES[format](result, name));
      const stepErrors = result.steps
        .flatMap((s) => ('issues' in s.result ? s.result.issues : []))
        .filter((i) => i.severity === 'error');
      // A step that could not run (unknown pod, bad source) is bad input, reported after the output.
      for (const issue of stepErrors) ctx.output.err(`error: ${formatIssue(issue)}`);
      if (stepErrors.length) ctx.exit(EXIT_BAD_INPUT);
    });
}
