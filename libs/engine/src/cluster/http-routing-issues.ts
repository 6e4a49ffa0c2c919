import { readGatewayObjects } from '../gateway-api/read-gateway';
import type { EngineIssue } from '../model/issues';
import type { StoredObject } from '../model/resources';
import { readIngressObjects } from '../ingress/read-ingress';

/** The API server's validation of Ingress, IngressClass and Gateway API objects, run when manifests are read. */
export function httpRoutingIssues(objects: StoredObject[]): EngineIssue[] {
  return [...readIngressObjects(objects).issues, ...readGatewayObjects(objects).issues];
}
