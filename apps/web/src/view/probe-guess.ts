/**
 * A first probe for a sandbox opened without one: from a pod called `client` (the examples' and
 * exercises' habit) or the first pod outside kube-system, to the first Service outside
 * kube-system (the `kubernetes` Service is the API server, not a learner's app).
 */
import type { ProbeQuery } from '../routes';
import type { ClusterPicture } from './picture-model';

export function guessProbe(picture: ClusterPicture): ProbeQuery | null {
  const pods = picture.nodes.flatMap((n) => n.pods).filter((p) => p.namespace !== 'kube-system');
  const client = pods.find((p) => p.name === 'client') ?? pods[0];
  const service = picture.services.find(
    (s) =>
      s.namespace !== 'kube-system' &&
      !(s.namespace === 'default' && s.name === 'kubernetes') &&
      s.type !== 'ExternalName',
  );
  if (!client || !service) return null;
  const port = Number(service.ports[0]?.split('/')[0] ?? 80);
  const to =
    port === 80
      ? `http://${service.name}.${service.namespace}/`
      : `${service.name}.${service.namespace}:${port}`;
  return { from: `${client.namespace}/${client.name}`, to };
}
