import { applyManifestSet } from '../controllers/apply';
import { BUILTIN } from '../controllers/defaults';
import type { ParsedDoc } from '../manifests/manifest-set';
import { readManifests } from '../manifests/read-manifests';
import type { ClusterState } from '../model/cluster-state';
import type { EngineIssue } from '../model/issues';
import {
  CONTROLLER_PROFILES,
  type ControllerProfile,
  type IngressControllerSpec,
} from './controller-profiles';
import { DEFAULT_CLASS_ANNOTATION } from './ingress-types';

/** The objects a default install of the controller creates, trimmed to what networking needs. */
export function controllerManifests(
  profile: ControllerProfile,
  spec: IngressControllerSpec,
  onlyController: boolean,
): unknown[] {
  const labels = {
    'app.kubernetes.io/name': profile.appName,
    'app.kubernetes.io/instance': profile.appName,
    'app.kubernetes.io/component': 'controller',
  };
  const metadata = { name: profile.workload, namespace: profile.namespace, labels };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: profile.namespace, labels: { 'app.kubernetes.io/name': profile.appName } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'controller',
                image: profile.image,
                ports: [
                  { name: 'http', containerPort: profile.ports.http, protocol: 'TCP' },
                  { name: 'https', containerPort: profile.ports.https, protocol: 'TCP' },
                ],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: spec.serviceType,
        selector: labels,
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
          { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP', appProtocol: 'https' },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: {
        name: profile.className,
        labels,
        ...(onlyController ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } } : {}),
      },
      spec: { controller: profile.controller },
    },
  ];
}

/**
 * Installs every controller of `spec.ingressControllers` before the user's objects, as a cluster
 * set up with the controller's Helm chart or static manifest would be. The IngressClass is marked
 * default when only one controller is installed (the charts' `ingressClassResource.default`).
 */
export function installIngressControllers(state: ClusterState): EngineIssue[] {
  // A controller found in a cluster dump is already there, as the dump's own objects.
  const specs = (state.config.ingressControllers ?? []).filter((spec) => !spec.found);
  if (!specs.length) return [];
  const docs: ParsedDoc[] = specs
    .flatMap((spec) =>
      controllerManifests(CONTROLLER_PROFILES[spec.profile], spec, specs.length === 1),
    )
    .map((value) => ({ doc: 0, value }));
  const set = readManifests(docs);
  for (const object of [...set.deployments, ...set.services]) object.origin = BUILTIN;
  const issues = [
    ...set.issues.filter((i) => i.severity === 'error'),
    ...applyManifestSet(state, set),
  ];
  return issues;
}
