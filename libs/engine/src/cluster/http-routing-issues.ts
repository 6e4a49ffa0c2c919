import { readGatewayObjects } from '../gateway-api/read-gateway';
import { gatewayReferenceIssues } from '../gateway-api/gateway-references';
import type { EngineIssue } from '../model/issues';
import type { StoredObject } from '../model/resources';
import { missingTlsSecrets, readIngressObjects } from '../ingress/read-ingress';

/**
 * The API server's validation of Ingress, IngressClass and Gateway API objects, and the Gateway API
 * references that leave objects doing nothing, run when manifests are read.
 */
export function httpRoutingIssues(objects: StoredObject[]): EngineIssue[] {
  const gateways = readGatewayObjects(objects);
  return [
    ...readIngressObjects(objects).issues,
    ...missingTlsSecrets(objects),
    ...gateways.issues,
    ...gatewayReferenceIssues(gateways),
  ];
}
