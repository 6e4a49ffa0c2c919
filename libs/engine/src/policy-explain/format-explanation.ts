/** Text for `netplay explain`: one block per pod, then the lint warnings. */
import { type EngineIssue, formatIssue } from '../model/issues';
import { formatLabels } from '../util/labels';
import type { PodPolicyExplanation, PolicyExplanation } from './explain-policies';

export function formatExplanation(
  pods: PodPolicyExplanation[],
  warnings: EngineIssue[] = [],
): string {
  const lines: string[] = [];
  for (const pod of pods) {
    if (lines.length) lines.push('');
    lines.push(`pod ${pod.namespace}/${pod.pod} (${formatLabels(pod.labels)})`);
    lines.push(`  ingress: ${pod.summary.ingress}`);
    lines.push(`  egress: ${pod.summary.egress}`);
    if (pod.policies.length === 0 && !pod.hostNetwork) lines.push('  no policy selects this pod');
    for (const policy of pod.policies) lines.push(...formatPolicy(policy));
  }
  if (pods.length === 0) lines.push('no pods');
  if (warnings.length) {
    lines.push('', 'warnings:');
    for (const warning of warnings) lines.push(`  - ${formatIssue(warning)}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatPolicy(policy: PolicyExplanation): string[] {
  const name = policy.namespace ? `${policy.namespace}/${policy.name}` : policy.name;
  const lines = [`  ${policy.kind} ${name} (${policy.policyTypes.join(', ') || 'no rules'})`];
  for (const rule of policy.ingress) lines.push(`    ingress: ${rule}`);
  for (const rule of policy.egress) lines.push(`    egress: ${rule}`);
  return lines;
}
