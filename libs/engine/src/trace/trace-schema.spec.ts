import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  PINNED_PODS_YAML,
  WEBSITE_NODE_PORT_YAML,
  WEBSITE_YAML,
  clusterDoc,
  shapedPodYaml,
} from '../cni/spec-fixtures';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { dnsProbe } from '../probe/dns-probe';
import { traceProbe } from '../probe/probe';

const schema: unknown = JSON.parse(
  readFileSync(join(__dirname, '../../schema/trace.schema.json'), 'utf8'),
);
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema as object);

/** What a consumer receives: the JSON text of a trace. */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('trace.schema.json accepts real engine output', () => {
  it.each([
    'kindnet',
    'flannel',
    'calico',
    '{ plugin: calico, mode: ipip }',
    'cilium',
    '{ plugin: cilium, mode: native }',
  ])('probe traces with %s', (cni) => {
    const state = clusterFromYaml(
      clusterDoc(cni),
      WEBSITE_YAML,
      PINNED_PODS_YAML,
      WEBSITE_NODE_PORT_YAML,
      shapedPodYaml('shaped', 'worker2', '10M', '5M'),
    );
    const traces = [
      traceProbe(state, { from: 'client', to: 'http://website.default/' }),
      traceProbe(state, { from: 'client', to: 'http://website.foo' }),
      traceProbe(state, { from: 'client', to: 'website:8080' }),
      traceProbe(state, { from: 'external', to: 'http://172.18.0.3:30080/' }),
      traceProbe(state, { from: 'a', to: `${state.pods.get('default/shaped')?.ip}:80` }),
      traceProbe(state, { from: 'client', to: 'https://example.com/' }),
      traceProbe(state, { from: 'node/worker', to: 'http://10.96.0.1:443/' }),
      traceProbe(state, { from: 'external', to: 'http://10.96.0.10/' }),
      traceProbe(state, { from: 'nobody', to: 'http://website' }),
    ];
    for (const trace of traces) {
      const ok = validate(asJson(trace));
      if (!ok) throw new Error(`${trace.request.to}: ${ajv.errorsText(validate.errors)}`);
    }
  });

  it('dns traces', () => {
    const state = clusterFromYaml(WEBSITE_YAML);
    for (const trace of [
      dnsProbe(state, { from: 'client', name: 'website.default' }),
      dnsProbe(state, { from: 'client', name: 'nope' }),
      dnsProbe(state, { from: 'client', name: 'website', type: 'SRV' }),
    ]) {
      const ok = validate(asJson(trace));
      if (!ok) throw new Error(`${trace.request.name}: ${ajv.errorsText(validate.errors)}`);
    }
  });

  it('rejects a trace that breaks the contract', () => {
    const trace = asJson(
      traceProbe(clusterFromYaml(WEBSITE_YAML), { from: 'client', to: 'http://website' }),
    ) as { verdict: string };
    expect(validate({ ...trace, verdict: 'maybe' })).toBe(false);
  });
});
