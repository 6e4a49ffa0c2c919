/**
 * Starting manifests shared by the grading specs: a `web` pod (app=web, port 80) and a busybox `client`,
 * indented to sit under `startingManifests: |` (the leading newline included).
 */
export const WEB_AND_CLIENT_STARTING_MANIFESTS = `
    apiVersion: v1
    kind: Pod
    metadata: {name: web, labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: client}
    spec:
      containers: [{name: client, image: busybox}]`;
