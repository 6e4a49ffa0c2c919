import type { PolicySuggestion } from '../engine';

/** The fix printed after a POLICY_DENIED verdict: what to change, then the YAML to `kubectl apply -f -`. */
export function renderSuggestion(suggestion: PolicySuggestion | null): string {
  if (!suggestion) return '';
  const lines = ['', 'suggestion:'];
  for (const change of suggestion.changes) lines.push(`  - ${change.description}`);
  if (suggestion.yaml) {
    lines.push(
      '',
      '  kubectl apply -f - <<EOF',
      ...suggestion.yaml
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
      '  EOF',
    );
  }
  return `${lines.join('\n')}\n`;
}
