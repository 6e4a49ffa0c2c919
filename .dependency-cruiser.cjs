/**
 * Import rules, checked by `npm run lint:deps` (part of `npm run lint`; CI runs it before the tests
 * and a violation fails the build). Every rule about which file may import which lives here; code
 * rules inside a file live in eslint.config.mjs (docs/architecture.md, "Rules that keep the layers").
 *
 * The projects are layered (PROJECT_IMPORTS): a project imports only the projects listed for it, and
 * only through its alias (`@netplay/db`), never by a relative path into another project's folder.
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

/**
 * The projects each project may import. Production code and test code alike; test code (TEST_CODE)
 * may also import libs/testing. The pure libraries (engine, grading) run in the browser too, so the
 * CLI and the playground page may use them; the page reaches everything else through the public API,
 * with the typed client libs/sdk (browser-safe: no Node built-in, see `browser-no-node-builtins`).
 */
const ALL_LIBS = [
  'libs/config',
  'libs/logging',
  'libs/contracts',
  'libs/db',
  'libs/queue',
  'libs/webhooks',
  'libs/jobs',
  'libs/engine',
  'libs/grading',
];
const PROJECT_IMPORTS = {
  'libs/engine': [],
  'libs/grading': ['libs/engine'],
  'libs/config': [],
  'libs/logging': [],
  // The typed client integrators install: generated from the OpenAPI document, nothing of ours.
  'libs/sdk': [],
  'libs/contracts': [],
  'libs/db': ['libs/contracts'],
  'libs/queue': ['libs/contracts', 'libs/db'],
  'libs/webhooks': ['libs/contracts', 'libs/db', 'libs/queue'],
  'libs/jobs': ALL_LIBS.filter((lib) => lib !== 'libs/jobs'),
  'libs/testing': ['libs/contracts', 'libs/db', 'libs/queue', 'libs/webhooks'],
  'apps/cli': ['libs/engine', 'libs/grading'],
  'apps/web': ['libs/engine', 'libs/grading', 'libs/sdk'],
  'apps/api': ALL_LIBS,
  'apps/worker': ALL_LIBS,
};
/** Folders of our own that a project could reach by a relative path. */
const OURS = '^(apps|libs|test|prisma|tools)/';

const ENGINE_SRC = '^libs/engine/src/';
const ENGINE_FOLDERS = ENGINE_LAYERS.flat();
/**
 * Test code: specs (`.spec.ts`, `.int-spec.ts`, `.e2e-spec.ts`, …), an app's e2e/ folder, and the
 * fixtures, generators and helpers only tests import (libs/testing among them). A component's tests
 * may build a whole cluster, so test code may import any layer; production code never imports it.
 */
const TEST_CODE =
  '(\\.(int-|e2e-|kernel-|browser-)?spec\\.ts|/spec-[a-z-]+\\.ts|-for-tests\\.ts)$|/testing/|^apps/[^/]+/e2e/';
/** Prisma's generated client, whose files import each other in circles by design. */
const GENERATED = '^libs/db/src/generated/';
/** The only packages the pure libraries use: YAML parsing, IP math, hashing. No I/O among them. */
const PURE_PACKAGES = '(^|/)node_modules/(yaml|ipaddr\\.js|@noble/hashes)/';

/** Every engine file but index.ts lives in a folder of ENGINE_LAYERS. */
const LAYERED = `${ENGINE_SRC}(index\\.ts$|(${ENGINE_FOLDERS.join('|')})/)`;
const UNLAYERED_COMMENT =
  'Every engine file but index.ts lives in a folder of ENGINE_LAYERS: ' +
  'place a new folder in a layer there and in docs/engine.md';

const projectRules = Object.entries(PROJECT_IMPORTS).flatMap(([project, allowed]) => [
  {
    name: `project-${project.replace('/', '-')}`,
    comment: `${project} may import only: ${allowed.join(', ') || 'nothing of ours'} (PROJECT_IMPORTS)`,
    severity: 'error',
    from: { path: `^${project}/`, pathNot: TEST_CODE },
    to: { path: OURS, pathNot: `^(${[project, ...allowed].join('|')})/` },
  },
  {
    name: `project-${project.replace('/', '-')}-tests`,
    comment: `${project}'s tests may import only: ${[...allowed, 'libs/testing'].join(', ')}`,
    severity: 'error',
    from: { path: `^${project}/` },
    to: { path: OURS, pathNot: `^(${[project, ...allowed, 'libs/testing'].join('|')})/` },
  },
]);

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
    ...projectRules,
    {
      name: 'project-listed',
      comment:
        'Every project under apps/ and libs/ is listed in PROJECT_IMPORTS with the projects it may ' +
        'import (and in docs/architecture.md)',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: `^(${Object.keys(PROJECT_IMPORTS).join('|')})/` },
      to: {},
    },
    {
      name: 'projects-import-each-other-by-alias',
      comment:
        'Another project is imported through its alias (tsconfig.base.json paths), which is its ' +
        'index.ts: `@netplay/db`, not ../../libs/db/src/…',
      severity: 'error',
      // Benchmarks are scripts beside a project, not part of it: they share libs/engine/bench/record.
      from: { path: '^(apps|libs)/([^/]+)/', pathNot: '^(apps|libs)/[^/]+/bench/' },
      to: {
        path: '^(apps|libs)/',
        pathNot: '^$1/$2/',
        dependencyTypesNot: ['aliased-tsconfig-paths'],
      },
    },
    {
      name: 'no-circular',
      // Folders need no rule of their own: the engine's folders import only lower layers (so they
      // cannot form a circle) and the other projects are a layered graph of projects.
      comment: 'Files do not import each other in a circle',
      severity: 'error',
      from: { pathNot: GENERATED },
      to: { circular: true },
    },
    {
      name: 'pure-no-node-builtins',
      comment: 'The engine and grading do no I/O (node:fs, node:net, …) and run in the browser too',
      severity: 'error',
      from: { path: '^libs/(engine|grading)/src/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-no-node-builtins',
      comment:
        'The SDK runs in the playground page too: no Node built-in (node:crypto, node:http, …)',
      severity: 'error',
      from: { path: '^libs/sdk/src/', pathNot: TEST_CODE },
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
      // Packages resolved only through export conditions this resolver does not try (vite, tsx's
      // CommonJS hook) and the CLI's built bundle, which exists only in the published package.
      to: { couldNotResolve: true, pathNot: '^(vite|tsx/cjs|\\.\\./dist/netplay\\.js)$' },
    },
  ],
  options: {
    // Test code is followed too: the project and alias rules hold for it (it may reach up the
    // engine's layers, which the layer rules allow).
    doNotFollow: { path: ['node_modules'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
