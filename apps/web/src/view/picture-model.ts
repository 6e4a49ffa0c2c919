/**
 * The cluster picture's data: what the page draws, as plain data the Web Worker sends over (no
 * engine code here, so the page's bundle does not carry the engine).
 */
import type { Service } from '@netplay/engine';

export interface PicturePod {
  id: string;
  namespace: string;
  name: string;
  ip: string;
  node: string;
  labels: Record<string, string>;
  ready: boolean;
  phase: 'Pending' | 'Running';
  hostNetwork: boolean;
  /** NetworkPolicy isolation of this pod per direction, with the policies that select it. */
  isolation: { ingress: boolean; egress: boolean; policies: string[] };
}

export interface PictureNode {
  id: string;
  name: string;
  ip: string;
  role: 'control-plane' | 'worker';
  ready: boolean;
  pods: PicturePod[];
}

export interface LoadBalancerAddress {
  ip: string;
  /** The node answering ARP (L2) or the BGP speakers; empty when nothing announces the address. */
  announcedBy: string[];
  mode: 'L2' | 'BGP' | 'none';
}

export interface PictureService {
  id: string;
  namespace: string;
  name: string;
  type: Service['type'];
  clusterIP: string;
  ports: string[];
  externalIPs: string[];
  loadBalancer: LoadBalancerAddress[];
  externalName?: string;
  /** Pod ids of the Service's endpoints, with their readiness. */
  endpoints: { pod: string; ready: boolean }[];
}

export interface PictureEntry {
  id: string;
  kind: 'Ingress' | 'Gateway';
  namespace: string;
  name: string;
  className: string;
  controller: string;
  addresses: string[];
  /** Nodes announcing those addresses (the controller's LoadBalancer Service's announcer). */
  announcedBy: string[];
  /** Service ids this entry routes to. */
  backends: string[];
}

export interface ClusterPicture {
  nodes: PictureNode[];
  /** Pods no node runs (Pending: unschedulable). */
  pendingPods: PicturePod[];
  services: PictureService[];
  entries: PictureEntry[];
}

export const podId = (namespace: string, name: string) => `pod:${namespace}/${name}`;
export const serviceId = (namespace: string, name: string) => `svc:${namespace}/${name}`;
export const nodeId = (name: string) => `node:${name}`;
export const EXTERNAL_ID = 'external';
