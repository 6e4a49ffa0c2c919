/**
 * Import rules, checked by `npm run lint:deps` (CI runs it before the tests; a violation fails the
 * build). Scope: libs/engine and libs/grading, the two pure libraries.
 *
 * The engine's folders are layered (docs/engine.md, "Where things live"): a folder imports only
 * folders of lower layers, folders of one layer do not import each other, so neither files nor
 * folders can import each other in a circle.
 */

/** The engine's folders, from the bottom layer up. */
const ENGINE_LAYERS = [
  ['model'], // the objects, cluster settings and state, issues, indexes
  ['util'], // IPv4 math and ranges, seeded randomness, hashes, label selectors
  ['trace'], // the trace vocabulary: trace types, hop drafts, the trace builder, probe requests
  ['manifests'], // YAML parsing with limits, per-kind validation, the Cluster document
  ['controllers'], // the API server's rules and the kube-controller-manager controllers
  ['cni', 'kube-proxy'], // the data path inside the cluster
  // NetworkPolicy and admin policies; LoadBalancer implementations; what other implementations'
  // objects (Cilium, Calico, Istio, Traefik …) apply to, which the engine keeps but does not simulate
  ['policy', 'load-balancer', 'unsimulated'],
  ['ingress'], // Ingress and the ingress controller profiles
  ['gateway-api', 'external'], // Gateway API on those controllers; how outside traffic enters
  ['dns'], // resolv.conf, CoreDNS, the upstream zone (which serves ExternalDNS records)
  ['cluster', 'probe', 'views', 'policy-explain', 'policy-matrix'], // whole-cluster operations
  ['scenario'], // steps against one evolving cluster
  ['render', 'pcap'], // text, DOT and libpcap renderings of traces and scenarios
];

const ENGINE_SRC = '^libs/engine/src/';
const ENGINE_FOLDERS = ENGINE_LAYERS.flat();
/**
 * Test code: specs and the fixtures, generators and helpers only tests import. A component's tests
 * may build a whole cluster, so test code may import any layer; production code never imports it.
 */
const TEST_CODE = '(\\.spec\\.ts|\\.int-spec\\.ts|/spec-[a-z-]+\\.ts|-for-tests\\.ts)$|/testing/';
/** The only packages the pure libraries use: YAML parsing, IP math, hashing. No I/O among them. */
const PURE_PACKAGES = '(^|/)node_modules/(yaml|ipaddr\\.js|@noble/hashes)/';

/** Every engine file but index.ts lives in a folder of ENGINE_LAYERS. */
const LAYERED = `${ENGINE_SRC}(index\\.ts$|(${ENGINE_FOLDERS.join('|')})/)`;
const UNLAYERED_COMMENT =
  'Every engine file but index.ts lives in a folder of ENGINE_LAYERS: ' +
  'place a new folder in a layer there and in docs/engine.md';

const layerRules = ENGINE_LAYERS.flatMap((layer, index) =>
  layer.map((folder) => {
    const below = ENGINE_LAYERS.slice(0, index).flat();
    const notBelow = ENGINE_FOLDERS.filter((f) => f !== folder && !below.includes(f));
    return {
      name: `engine-layer-${folder}`,
      comment:
        `libs/engine/src/${folder}/ (layer ${index + 1}, docs/engine.md) may import only: ` +
        (below.join(', ') || 'nothing of the engine'),
      severity: 'error',
      from: { path: `${ENGINE_SRC}${folder}/`, pathNot: TEST_CODE },
      to: { path: `${ENGINE_SRC}(${notBelow.join('|')})/` },
    };
  }),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'engine-unlayered-file',
      comment: UNLAYERED_COMMENT,
      severity: 'error',
      from: { path: ENGINE_SRC, pathNot: [LAYERED, TEST_CODE] },
      to: {},
    },
    {
      name: 'engine-unlayered-import',
      comment: UNLAYERED_COMMENT,
      severity: 'error',
      from: {},
      to: { path: ENGINE_SRC, pathNot: [LAYERED, TEST_CODE] },
    },
    {
      name: 'no-circular',
      comment: 'Files of the pure libraries do not import each other in a circle',
      severity: 'error',
      from: { path: '^libs/(engine|grading)/src/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Folders of the pure libraries do not import each other in a circle',
      severity: 'error',
      scope: 'folder',
      from: { path: '^libs/(engine|grading)/src' },
      to: { circular: true },
    },
    {
      name: 'engine-imports-nothing-of-ours',
      comment: 'libs/engine is the bottom of the house: it imports no other library or app',
      severity: 'error',
      from: { path: '^libs/engine/' },
      to: { path: '^(apps|libs|test|prisma|tools)/', pathNot: '^libs/engine/' },
    },
    {
      name: 'grading-imports-only-the-engine',
      comment: 'libs/grading builds on the engine alone',
      severity: 'error',
      from: { path: '^libs/grading/' },
      to: { path: '^(apps|libs|test|prisma|tools)/', pathNot: '^libs/(grading|engine)/' },
    },
    {
      name: 'pure-no-node-builtins',
      comment: 'The engine and grading do no I/O (node:fs, node:net, …) and run in the browser too',
      severity: 'error',
      from: { path: '^libs/(engine|grading)/src/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-listed-packages-only',
      comment: 'The engine and grading use only pure packages; add one to PURE_PACKAGES on purpose',
      severity: 'error',
      from: { path: '^libs/(engine|grading)/src/', pathNot: TEST_CODE },
      to: {
        dependencyTypes: [
          'npm',
          'npm-dev',
          'npm-optional',
          'npm-peer',
          'npm-no-pkg',
          'npm-unknown',
        ],
        pathNot: PURE_PACKAGES,
      },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Specs, spec fixtures and testing/ helpers are for tests only',
      severity: 'error',
      from: { path: '^libs/(engine|grading)/src/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Test code is listed (so production code importing it is caught) but not followed: its imports
    // reach up the layers by design.
    doNotFollow: { path: ['node_modules', TEST_CODE] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
