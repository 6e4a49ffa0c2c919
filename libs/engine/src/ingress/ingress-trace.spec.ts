import { traceProbe } from '../probe/probe';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { app, ingress, NGINX_CLUSTER } from './spec-fixtures';

const SEED_CLUSTER = [
  NGINX_CLUSTER,
  app('api'),
  app('frontend', 2),
  ingress('site', [
    { host: 'api.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'api' }] },
    { host: 'www.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'frontend' }] },
  ]),
];

function nodePortOf(state: ReturnType<typeof clusterFromYaml>): number {
  const service = state.services.get('ingress-nginx/ingress-nginx-controller');
  return service?.ports.find((p) => p.name === 'http')?.nodePort ?? 0;
}

describe('end-to-end through ingress-nginx on a NodePort', () => {
  it('installs the controller objects from spec.ingressControllers', () => {
    const state = clusterFromYaml(...SEED_CLUSTER);
    const service = state.services.get('ingress-nginx/ingress-nginx-controller');
    expect(service?.type).toBe('NodePort');
    expect(state.deployments.has('ingress-nginx/ingress-nginx-controller')).toBe(true);
    const ingressClass = state.objects.find((o) => o.kind === 'IngressClass' && o.name === 'nginx');
    expect(ingressClass?.body).toMatchObject({
      spec: { controller: 'k8s.io/ingress-nginx' },
      metadata: { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    });
  });

  it.each([
    ['api.example.com', 'api'],
    ['www.example.com', 'frontend'],
  ])('routes Host %s to Service %s through the endpoint IP', (host, service) => {
    const state = clusterFromYaml(...SEED_CLUSTER);
    const port = nodePortOf(state);
    const trace = traceProbe(state, { from: 'external', to: `http://172.18.0.3:${port}/`, host });
    expect(trace.verdict).toBe('delivered');
    expect(trace.http?.status).toBe(200);
    expect(trace.backend?.service).toBe(service);
    expect(trace.backend?.pod.startsWith(`${service}-`)).toBe(true);
    const decision = trace.hops.find(
      (h) => h.component === 'ingress-controller' && h.details?.ingress,
    );
    expect(decision?.details).toMatchObject({
      ingress: 'default/site',
      host,
      path: '/',
      pathType: 'Prefix',
    });
    const upstream = trace.hops.find((h) => h.observationPoint === 'FROM_PROXY');
    expect(upstream?.packet.dst.ip).toBe(trace.backend?.ip);
    expect(upstream?.description).toContain('not the ClusterIP');
  });

  it('answers 404 from the controller for an unknown host', () => {
    const state = clusterFromYaml(...SEED_CLUSTER);
    const trace = traceProbe(state, {
      from: 'external',
      to: `http://172.18.0.3:${nodePortOf(state)}/`,
      host: 'other.example.com',
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.http).toMatchObject({ status: 404 });
    expect(trace.backend?.namespace).toBe('ingress-nginx');
  });

  it('answers 503 when the backend Service has no endpoints', () => {
    const state = clusterFromYaml(
      NGINX_CLUSTER,
      `apiVersion: v1\nkind: Service\nmetadata: {name: empty}\nspec:\n  selector: {app: nothing}\n  ports: [{port: 80}]\n`,
      ingress('broken', [
        { host: 'empty.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'empty' }] },
      ]),
    );
    const trace = traceProbe(state, {
      from: 'external',
      to: `http://172.18.0.3:${nodePortOf(state)}/`,
      host: 'empty.example.com',
    });
    expect(trace.http?.status).toBe(503);
    expect(trace.reason).toContain('no ready endpoints');
  });

  const SECRET =
    'apiVersion: v1\nkind: Secret\nmetadata: {name: secure-cert}\ntype: kubernetes.io/tls\ndata: {tls.crt: "", tls.key: ""}\n';

  function secureCluster() {
    const tls = '  tls:\n  - hosts: [secure.example.com]\n    secretName: secure-cert\n';
    return clusterFromYaml(
      NGINX_CLUSTER,
      app('web'),
      ingress(
        'secure',
        [
          {
            host: 'secure.example.com',
            paths: [{ path: '/', pathType: 'Prefix', service: 'web' }],
          },
        ],
        tls,
      ),
    );
  }

  it('names the TLS Secret missing from the input and serves the default certificate', () => {
    const state = secureCluster();
    const httpsPort = state.services
      .get('ingress-nginx/ingress-nginx-controller')
      ?.ports.find((p) => p.name === 'https')?.nodePort;
    const trace = traceProbe(state, {
      from: 'external',
      to: `https://172.18.0.3:${httpsPort}/`,
      host: 'secure.example.com',
    });
    const tlsHop = trace.hops.find((h) => h.details?.tls === true);
    expect(tlsHop?.details).toMatchObject({ secret: null, missingSecret: 'default/secure-cert' });
    expect(tlsHop?.description).toContain(
      'names Secret default/secure-cert, which is not in the input, so the controller serves its default self-signed certificate instead',
    );
    expect(trace.hops.some((h) => h.details?.secret === 'default/secure-cert')).toBe(false);
  });

  it('redirects plain HTTP to HTTPS with 308 when the host has TLS, and terminates TLS on 443', () => {
    const tls = '  tls:\n  - hosts: [secure.example.com]\n    secretName: secure-cert\n';
    const state = clusterFromYaml(
      NGINX_CLUSTER,
      app('web'),
      SECRET,
      ingress(
        'secure',
        [
          {
            host: 'secure.example.com',
            paths: [{ path: '/', pathType: 'Prefix', service: 'web' }],
          },
        ],
        tls,
      ),
    );
    const service = state.services.get('ingress-nginx/ingress-nginx-controller');
    const httpPort = service?.ports.find((p) => p.name === 'http')?.nodePort;
    const httpsPort = service?.ports.find((p) => p.name === 'https')?.nodePort;
    const plain = traceProbe(state, {
      from: 'external',
      to: `http://172.18.0.3:${httpPort}/login`,
      host: 'secure.example.com',
    });
    expect(plain.http).toMatchObject({ status: 308, location: 'https://secure.example.com/login' });
    const secure = traceProbe(state, {
      from: 'external',
      to: `https://172.18.0.3:${httpsPort}/login`,
      host: 'secure.example.com',
    });
    expect(secure.http?.status).toBe(200);
    expect(secure.hops.some((h) => h.details?.secret === 'default/secure-cert')).toBe(true);
  });

  it('sets status.loadBalancer of served Ingresses to the controller nodes, and none for an unknown class', () => {
    const state = clusterFromYaml(
      ...SEED_CLUSTER,
      ingress('orphan', [
        { host: 'x.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'api' }] },
      ]).replace('ingressClassName: nginx', 'ingressClassName: some-invalid-class-name'),
    );
    const site = state.objects.find((o) => o.kind === 'Ingress' && o.name === 'site');
    const orphan = state.objects.find((o) => o.kind === 'Ingress' && o.name === 'orphan');
    const controllerPod = [...state.pods.values()].find((p) => p.namespace === 'ingress-nginx');
    const nodeIP = state.nodes.get(controllerPod?.nodeName ?? '')?.ip;
    expect(site?.body.status).toEqual({ loadBalancer: { ingress: [{ ip: nodeIP }] } });
    expect(orphan?.body.status).toEqual({ loadBalancer: {} });
  });
});

describe('other controller profiles', () => {
  it.each([
    ['traefik', 'traefik/traefik', 200],
    ['haproxy', 'haproxy-ingress/haproxy-ingress', 200],
  ] as const)('%s serves its own class through its NodePort', (profile, serviceRef, status) => {
    const cluster = NGINX_CLUSTER.replace('[nginx]', `[${profile}]`);
    const state = clusterFromYaml(
      cluster,
      app('web'),
      ingress('site', [
        { host: 'web.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'web' }] },
      ]).replace('ingressClassName: nginx', `ingressClassName: ${profile}`),
    );
    const port = state.services.get(serviceRef)?.ports.find((p) => p.name === 'http')?.nodePort;
    const trace = traceProbe(state, {
      from: 'external',
      to: `http://172.18.0.4:${port}/`,
      host: 'web.example.com',
    });
    expect(trace.http?.status).toBe(status);
    expect(trace.backend?.service).toBe('web');
  });
});
