import { formatIssue } from '../model/issues';
import type { ScenarioResult, StepResult } from '../scenario/scenario-types';
import { renderDnsTrace } from './dns-text';
import { renderProbeTrace } from './trace-text';

/** Every step under a header, rendered as its own command would print it. */
export function renderScenario(name: string, result: ScenarioResult): string {
  const parts = [
    `scenario ${name}: ${result.steps.length} step${result.steps.length === 1 ? '' : 's'}\n`,
  ];
  for (const step of result.steps)
    parts.push(
      `\n=== step ${step.index + 1}${step.name ? `: ${step.name}` : ''} (${step.kind})\n`,
      renderStep(step),
    );
  return parts.join('');
}

function renderStep(step: StepResult): string {
  const r = step.result;
  if ('kind' in r && r.kind === 'probe') return renderProbeTrace(r);
  if ('kind' in r && r.kind === 'dns') return renderDnsTrace(r);
  const issues =
    'issues' in r ? r.issues.map((i) => `${i.severity}: ${formatIssue(i)}\n`).join('') : '';
  if ('view' in r) return r.view + issues;
  return `${r.mutation}\n${issues}`;
}
