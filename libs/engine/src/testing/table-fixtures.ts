/** Test helpers shared by the views' and renderers' specs. */

/** A policy on the website example: only the `client` pod (label run=client) reaches the website pods. */
export const WEB_FROM_CLIENT_POLICY = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-from-client }
spec:
  podSelector: { matchLabels: { app: website } }
  ingress: [{ from: [{ podSelector: { matchLabels: { run: client } } }] }]
`;

/** A kubectl table split into cells (columns are at least three spaces apart). */
export function tableRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(/ {2,}/));
}
