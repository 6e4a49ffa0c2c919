/**
 * YAML inputs shared by specs across the engine: the customer seed document's (002) website example and a
 * `kind: Cluster` document builder. Folder-local `spec-fixtures.ts` files re-export what their specs use.
 */

/** A `kind: Cluster` document; `spec` is the already-indented body of its `spec:` mapping. */
export function clusterWith(spec: string, name = 'kind'): string {
  return `apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: { name: ${name} }
spec:
${spec}`;
}

/** A `kind: Cluster` document choosing the CNI plugin; `extra` adds further (indented) spec lines. */
export function clusterDoc(cni: string, extra = ''): string {
  return clusterWith(`  cni: ${cni}\n${extra}`);
}

/** `kubectl create deployment website --replicas=3 --image=httpd`, with the container port the Service targets. */
export const WEBSITE_DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata: { name: website }
spec:
  replicas: 3
  selector: { matchLabels: { app: website } }
  template:
    metadata: { labels: { app: website } }
    spec:
      containers:
        - name: httpd
          image: httpd
          ports: [{ containerPort: 80 }]
`;

/** `kubectl expose deployment website --port=80`, with the port named `http` as in the seed's service.yaml. */
export const WEBSITE_SERVICE_YAML = `apiVersion: v1
kind: Service
metadata: { name: website }
spec:
  selector: { app: website }
  ports: [{ name: http, port: 80, targetPort: 80 }]
`;

/** `kubectl run -it client --image busybox`. */
export const CLIENT_POD_YAML = `apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  containers: [{ name: client, image: busybox }]
`;

/** The seed's whole example: the website Deployment, its Service and the busybox client, in that order. */
export const WEBSITE_YAML = [WEBSITE_DEPLOYMENT_YAML, WEBSITE_SERVICE_YAML, CLIENT_POD_YAML].join(
  '---\n',
);

/** A second Service for the website pods, `type: NodePort` on the seed's node port 30080. */
export const WEBSITE_NODE_PORT_YAML = `apiVersion: v1
kind: Service
metadata: { name: web-np }
spec:
  type: NodePort
  selector: { app: website }
  ports: [{ port: 80, nodePort: 30080 }]`;

/** The seed's Services verbatim (block style, as the customer wrote them), for reader and loader specs. */
export const SEED_CLUSTER_IP_SERVICE_YAML = `apiVersion: v1
kind: Service
metadata:
  name: website
spec:
  ports:
  - port: 80
    name: http
  selector:
    app: website
`;

export const SEED_NODE_PORT_SERVICE_YAML = `apiVersion: v1
kind: Service
metadata:
  name: website
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 30080
    name: http
  selector:
    app: website
`;

/** Verbatim, including the customer's `sessionsAffinity` typo and comments. */
export const SEED_LOAD_BALANCER_SERVICE_YAML = `apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  type: LoadBalancer
  selector:
    app: my-app          # identify pods for this service
  ports:
    - port: 8080         # service port
      targetPort: 8080   # foward to container port
  sessionsAffinity: ClientIP
`;
