import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_BAD_INPUT } from '../cli-io';
import { formatIssue, parseScenario, runScenario, type ManifestFile } from '../engine';
import { readTextFile } from '../read-inputs';
import { renderScenario } from '../engine';

/** `netplay run SCENARIO.yaml [--json]`: `path:` manifests are read relative to the scenario file. */
export function runCommand(ctx: CommandContext): Command {
  return new Command('run')
    .description('run a scenario file: manifests, then probes, lookups, views and changes in order')
    .argument('<scenario>', 'a kind: Scenario YAML file, - for stdin')
    .option('--json', 'print the step results as JSON')
    .action((scenarioPath: string, opts: { json?: boolean }) => {
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
      ctx.output.out(
        opts.json
          ? JSON.stringify({ scenario: parsed.scenario.name, ...result }, null, 2)
          : renderScenario(parsed.scenario.name, result),
      );
      const stepErrors = result.steps
        .flatMap((s) => ('issues' in s.result ? s.result.issues : []))
        .filter((i) => i.severity === 'error');
      // A step that could not run (unknown pod, bad source) is bad input, reported after the output.
      for (const issue of stepErrors) ctx.output.err(`error: ${formatIssue(issue)}`);
      if (stepErrors.length) ctx.exit(EXIT_BAD_INPUT);
    });
}
