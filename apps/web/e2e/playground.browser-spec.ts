/**
 * The playground in a real browser: Debian's Chromium (playwright-core) against the compiled API
 * in embedded mode serving the page built from the current sources. Screenshots land in
 * test-output/web/ (gitignored).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { waitFor } from '@netplay/testing';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { analyze } from '../src/engine/analyze';
import { launchChromium, CHROMIUM_PATH } from './browser';
import {
  ADMIN_KEY,
  buildPageAndApi,
  REPO_ROOT,
  screenshotPath,
  seriousViolations,
  startApi,
  startFramingSite,
  type RunningApi,
} from './harness';

const PROBE = { from: 'default/client', to: 'http://website.default/' };
const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;
const DNS_SOLUTION = `apiVersion: v1
kind: Namespace
metadata: {name: foo}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: website, namespace: foo, labels: {app: website}}
spec:
  replicas: 2
  selector: {matchLabels: {app: website}}
  template:
    metadata: {labels: {app: website}}
    spec:
      containers:
        - {name: httpd, image: httpd, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: website, namespace: foo}
spec:
  selector: {app: website}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
    - {name: client, image: busybox}
`;
const WAIT = { timeout: 30_000 };
// testTimeout is a global Jest option that `projects` ignore: a browser test drives several screens.
jest.setTimeout(120_000);

const hasChromium = existsSync(CHROMIUM_PATH);
const describeBrowser = hasChromium ? describe : describe.skip;
if (!hasChromium)
  describe('playground browser tests (skipped: no Chromium at /usr/bin/chromium; apt-get install chromium)', () => {
    it.skip('needs Chromium', () => undefined);
  });

describeBrowser('the playground page in Chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let framing: { origin: string; server: Server; frame(src: string): string };

  beforeAll(async () => {
    buildPageAndApi();
    api = await startApi();
    browser = await launchChromium();
    framing = await startFramingSite();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await new Promise((resolve) => framing?.server.close(resolve));
  });

  async function rest<T>(
    method: string,
    path: string,
    body?: unknown,
    key = api.apiKey,
  ): Promise<T> {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function newPage(
    options: { width?: number; height?: number; reducedMotion?: 'reduce' | 'no-preference' } = {},
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      reducedMotion: options.reducedMotion ?? 'no-preference',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { context, page, errors };
  }

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${api.url}/`);
    await page.getByLabel('API key').fill(api.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Playground' }).waitFor(WAIT);
  }

  async function trace(page: Page, from: string, to: string): Promise<void> {
    await page.getByLabel('From', { exact: true }).fill(from);
    await page.getByLabel('To', { exact: true }).fill(to);
    await page.getByRole('button', { name: 'Trace', exact: true }).click();
  }

  async function createSandbox(name: string, manifests: string): Promise<string> {
    const sandbox = await rest<{ id: string }>('POST', '/v1/sandboxes', { name, manifests });
    return sandbox.id;
  }

  it("traces default/client → http://website.default/ on the seeds' website example, hop by hop", async () => {
    const { context, page, errors } = await newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await signIn(page);
    await page.getByRole('link', { name: 'website', exact: true }).click();
    await trace(page, PROBE.from, PROBE.to);
    // The page may already show the same trace for its guessed probe; the traced one animates from
    // its first hop, so wait for that animation to start and to finish before stepping.
    const stepper = page.getByRole('group', { name: 'Step through the hops' });
    await stepper.getByRole('button', { name: 'Pause' }).waitFor(WAIT);
    await stepper.getByRole('button', { name: 'Play' }).waitFor(WAIT);
    const status = page.getByRole('status').first();
    await expectText(status, /delivered/);

    const sandbox = await rest<{ manifests: string }>(
      'GET',
      `/v1/sandboxes/${api.websiteSandboxId}`,
    );
    const expected = analyze({ manifests: sandbox.manifests, probe: PROBE }).trace!;
    const hops = expected.hops.length;
    await page.getByText(`hop ${hops} of ${hops}`).waitFor(WAIT);
    expect(await page.locator('li.hop').count()).toBe(hops);
    const backend = expected.backend!;
    await page
      .locator(`[data-box="pod:${backend.namespace}/${backend.pod}"].on-path`)
      .waitFor(WAIT);
    await page.locator('[data-box="svc:default/website"].on-path').waitFor(WAIT);
    expect(await page.locator('polyline.packet-path').count()).toBe(1);
    expect(await page.getByText('DNAT').count()).toBeGreaterThan(0);
    await page.getByText(/Server run .*verdict delivered \(recorded\)/).waitFor(WAIT);
    // The run's status came over the graphql-ws subscription.
    expect(sockets).toEqual([`${api.url.replace('http', 'ws')}/graphql`]);

    // Step back like a debugger: the packet moves to the previous hop.
    await page.getByRole('button', { name: '◀ Back' }).click();
    await page.getByText(`hop ${hops - 1} of ${hops}`).waitFor(WAIT);
    // The kube-proxy hop opens the node's rules with its chain highlighted.
    const kubeProxyHop = page.locator('li.hop', { hasText: 'DNATs 10.96' }).last();
    await kubeProxyHop.locator('summary').click();
    await kubeProxyHop.getByRole('button', { name: /Open kube-proxy rules of/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('.rule-hit').first().waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('website-rules-dialog') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.screenshot({ path: screenshotPath('website-trace-1280x800') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('stops a dropped probe at the policy hop, and "Apply fix" turns it delivered', async () => {
    const website = await rest<{ manifests: string }>(
      'GET',
      `/v1/sandboxes/${api.websiteSandboxId}`,
    );
    const id = await createSandbox('website-deny', `${website.manifests}\n---\n${DENY_ALL}`);
    const { context, page, errors } = await newPage({ reducedMotion: 'reduce' });
    await signIn(page);
    await page.goto(
      `${api.url}/sandboxes/${id}?from=default%2Fclient&to=http%3A%2F%2Fwebsite.default%2F`,
    );
    await page.getByRole('button', { name: 'Trace', exact: true }).click();
    const status = page.getByRole('status').first();
    await expectText(status, /dropped/);
    const outcome = page.getByRole('region', { name: 'Outcome' });
    await outcome.getByText('POLICY_DENIED').waitFor(WAIT);
    await outcome.getByText('default/deny-all').first().waitFor(WAIT);
    await outcome.getByText('+ kind: NetworkPolicy').waitFor(WAIT);
    expect(await page.locator('li.hop.dropped').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('dropped-with-fix-1280x800') });

    await page.getByRole('button', { name: 'Apply fix' }).click();
    await expectText(status, /delivered/);
    await page.getByRole('button', { name: 'Save revision' }).click();
    await page.getByText('Saved revision 2.').waitFor(WAIT);
    const saved = await rest<{ version: number; manifests: string }>('GET', `/v1/sandboxes/${id}`);
    expect(saved.version).toBe(2);
    expect(saved.manifests).toContain('allow-client-to-website');
    await page.screenshot({ path: screenshotPath('fixed-and-saved-1280x800') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws the ingress with its controller, the MetalLB address and its announcing node, and traces from outside', async () => {
    const scenario = parse(
      readFileSync(path.join(REPO_ROOT, 'test/scenarios/metallb-ingress-nginx.yaml'), 'utf8'),
    ) as { spec: { manifests: string[] } };
    const id = await createSandbox('metallb-ingress', scenario.spec.manifests.join('\n---\n'));
    const { context, page, errors } = await newPage({ reducedMotion: 'reduce' });
    await signIn(page);
    await page.goto(
      `${api.url}/sandboxes/${id}?from=external&to=http%3A%2F%2Fapi.example.com%2Fv1%2Fitems`,
    );
    await page.getByRole('button', { name: 'Trace', exact: true }).click();
    await expectText(page.getByRole('status').first(), /delivered \(HTTP 200 OK\)/);
    const ingress = page.locator('[data-box^="ingress:"]');
    expect(await ingress.textContent()).toMatch(
      /k8s\.io\/ingress-nginx.*address 172\.18\.255\.\d+ via worker/,
    );
    expect(await page.locator('[data-box="external"].on-path').count()).toBe(1);
    expect(await ingress.getAttribute('class')).toContain('on-path');
    await page.screenshot({ path: screenshotPath('metallb-ingress-1280x800') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows an engine error at its line in the editor while typing', async () => {
    const { context, page } = await newPage({ reducedMotion: 'reduce' });
    await signIn(page);
    await page.goto(`${api.url}/sandboxes/${api.websiteSandboxId}`);
    const editor = page.locator('.cm-content');
    await editor.waitFor(WAIT);
    await page.getByText('replicas: 3').first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText('-1');
    const problem = page
      .getByRole('list', { name: 'Problems in the manifests' })
      .getByText(/spec\.replicas/);
    await problem.waitFor(WAIT);
    expect(await problem.textContent()).toMatch(/line \d+/);
    await page.locator('.cm-lintRange-error').first().waitFor(WAIT);
    // The problem's line button puts the cursor on the field in the editor.
    await problem
      .locator('..')
      .getByRole('button', { name: /^line \d+$/ })
      .click();
    const selected = await page.evaluate(() => window.getSelection()?.toString() ?? '');
    expect(selected).toBe('replicas: -1');
    await page.screenshot({ path: screenshotPath('editor-error-1280x800') });
    await context.close();
  });

  it('saves with If-Match and, when another revision was saved meanwhile, offers to load it', async () => {
    const website = await rest<{ manifests: string }>(
      'GET',
      `/v1/sandboxes/${api.websiteSandboxId}`,
    );
    const id = await createSandbox('website-conflict', website.manifests);
    const { context, page, errors } = await newPage({ reducedMotion: 'reduce' });
    await signIn(page);
    await page.goto(`${api.url}/sandboxes/${id}`);
    await page.locator('.cm-content').waitFor(WAIT);
    // Someone else saves revision 2 while the page still holds revision 1.
    const response = await fetch(`${api.url}/v1/sandboxes/${id}`, {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${api.apiKey}`,
        'Content-Type': 'application/json',
        'If-Match': '"1"',
      },
      body: JSON.stringify({ manifests: website.manifests.replace('replicas: 3', 'replicas: 2') }),
    });
    expect(response.status).toBe(200);
    await page.getByText('replicas: 3').first().click();
    await page.keyboard.press('End');
    await page.keyboard.insertText('  # mine');
    await page.getByRole('button', { name: 'Save revision' }).click();
    await page
      .getByText('Revision 2 was saved elsewhere since you opened revision 1.')
      .waitFor(WAIT);
    await page.getByRole('button', { name: 'Load revision 2 (drops my edits)' }).click();
    await page.getByText('Loaded revision 2.').waitFor(WAIT);
    await page.getByText('replicas: 2').first().waitFor(WAIT);
    expect(await page.getByText('# mine').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('submits an exercise and shows its graded checks, then a passing score', async () => {
    const exercises = await rest<{ items: { id: string; slug: string; title: string }[] }>(
      'GET',
      '/v1/exercises',
    );
    const exercise = exercises.items.find((x) => x.slug === 'fix-the-dns-name')!;
    const { context, page, errors } = await newPage({ reducedMotion: 'reduce' });
    await signIn(page);
    await page.getByRole('link', { name: exercise.title }).click();
    await page.getByRole('button', { name: 'Start the exercise' }).click();
    await page.locator('.cm-content').waitFor(WAIT);
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    const checks = page.getByRole('list', { name: 'Check results' });
    await checks.waitFor(WAIT);
    await page.getByText(/^Score \d+ of \d+$/).waitFor(WAIT);
    expect(await checks.getByText('✕ failed').count()).toBeGreaterThan(0);
    expect(await checks.getByText(/^Hint:/).count()).toBeGreaterThan(0);
    await checks.getByText(/hidden checks/).waitFor(WAIT);
    expect(await checks.locator('li', { hasText: 'hidden checks' }).textContent()).toMatch(
      /\d+ of \d+ failed$/,
    );
    await page.screenshot({ path: screenshotPath('exercise-graded-1280x800'), fullPage: true });

    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(DNS_SOLUTION);
    await page.getByRole('button', { name: 'Submit for grading' }).click();
    await page.getByText(/^Score (\d+) of \1: passed$/).waitFor(WAIT);
    await page.getByText(/^Best: /).waitFor(WAIT);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens a share link read-only at its trace', async () => {
    const { context, page } = await newPage({ reducedMotion: 'reduce' });
    await signIn(page);
    await page.goto(
      `${api.url}/share/${api.websiteSandboxId}/1?from=default%2Fclient&to=http%3A%2F%2Fwebsite.default%2F`,
    );
    await page.getByText('(read-only link)').waitFor(WAIT);
    await expectText(page.getByRole('status').first(), /delivered/);
    expect(await page.getByRole('button', { name: 'Save revision' }).count()).toBe(0);
    expect(await page.locator('.cm-content').getAttribute('contenteditable')).toBe('false');
    await context.close();
  });

  it('is framed by an allowed origin on /embed, without the header, and refused by another', async () => {
    await rest(
      'PUT',
      `/v1/admin/tenants/${api.tenantId}/embed-origins`,
      { origins: [framing.origin] },
      ADMIN_KEY,
    );
    const src = `${api.url}/embed/${api.tenantId}/sandboxes/${api.websiteSandboxId}?from=default%2Fclient&to=http%3A%2F%2Fwebsite.default%2F#token=${api.apiKey}`;
    const head = await fetch(src.split('#')[0]);
    expect(head.headers.get('content-security-policy')).toContain(
      `frame-ancestors 'self' ${framing.origin}`,
    );

    const { context, page, errors } = await newPage({ reducedMotion: 'reduce' });
    await page.goto(framing.frame(src));
    const frame = page.frameLocator('iframe');
    await frame.getByRole('button', { name: 'Trace', exact: true }).click(WAIT);
    await expectText(frame.getByRole('status').first(), /delivered/);
    expect(await frame.locator('.top-bar').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('embed-in-iframe-1280x800') });
    expect(errors).toEqual([]);

    await rest(
      'PUT',
      `/v1/admin/tenants/${api.tenantId}/embed-origins`,
      { origins: [] },
      ADMIN_KEY,
    );
    const refused = await context.newPage();
    await refused.goto(framing.frame(src));
    await waitFor(
      'the framed page to be refused',
      async () => {
        const child = refused.frames()[1];
        return child !== undefined && child.url().startsWith('chrome-error://');
      },
      { timeoutMs: 30_000, everyMs: 100 },
    );
    await context.close();
  });

  it('has no serious or critical axe violation on any screen, and holds at 1280×800 and 390×844', async () => {
    const exercises = await rest<{ items: { id: string }[] }>('GET', '/v1/exercises');
    for (const size of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      const { context, page } = await newPage({ ...size, reducedMotion: 'reduce' });
      const screens: [string, () => Promise<void>][] = [
        [
          'sign-in',
          async () => page.goto(`${api.url}/`).then(() => page.getByLabel('API key').waitFor(WAIT)),
        ],
        ['home', () => signIn(page)],
        [
          'playground',
          async () => {
            await page.goto(
              `${api.url}/sandboxes/${api.websiteSandboxId}?from=default%2Fclient&to=http%3A%2F%2Fwebsite.default%2F`,
            );
            await page.getByRole('button', { name: 'Trace', exact: true }).click();
            await expectText(page.getByRole('status').first(), /delivered/);
            await page.locator('.cm-content').waitFor(WAIT);
          },
        ],
        [
          'matrix',
          async () => {
            await page.getByRole('tab', { name: 'Who can reach whom' }).click();
            await page.getByRole('table').waitFor(WAIT);
          },
        ],
        [
          'views',
          async () => {
            await page.getByRole('tab', { name: 'Views' }).click();
            await page.getByLabel('View output').getByText(/NAME/).waitFor(WAIT);
          },
        ],
        [
          'revisions',
          async () => {
            await page.getByRole('tab', { name: 'Revisions' }).click();
            await page.getByText(/This change opens/).waitFor(WAIT);
          },
        ],
        [
          'exercise',
          async () => {
            await page.goto(`${api.url}/exercises/${exercises.items[0].id}`);
            await page.getByRole('button', { name: 'Start the exercise' }).waitFor(WAIT);
          },
        ],
        [
          'embed',
          async () => {
            await page.goto(`${api.url}/embed/${api.tenantId}/sandboxes/${api.websiteSandboxId}`);
            await page.getByRole('heading', { name: /website/ }).waitFor(WAIT);
          },
        ],
      ];
      for (const [name, open] of screens) {
        await open();
        expect({ screen: name, size, violations: await seriousViolations(page) }).toEqual({
          screen: name,
          size,
          violations: [],
        });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect({ screen: name, size, overflow: overflow > 1 }).toEqual({
          screen: name,
          size,
          overflow: false,
        });
        await page.screenshot({ path: screenshotPath(`${name}-${size.width}x${size.height}`) });
      }
      await context.close();
    }
  }, 120_000);

  it('is usable by keyboard: Trace is reached with Tab, has a visible focus, and reduced motion shows the outcome at once', async () => {
    const { context, page } = await newPage({ reducedMotion: 'reduce' });
    await signIn(page);
    await page.goto(
      `${api.url}/sandboxes/${api.websiteSandboxId}?from=default%2Fclient&to=http%3A%2F%2Fwebsite.default%2F`,
    );
    await page.getByLabel('From', { exact: true }).waitFor(WAIT);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Trace');
    }
    expect(reached).toBe(true);
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('status').first(), /delivered/);
    await page.getByText(/hop (\d+) of \1$/).waitFor({ timeout: 5_000 });
    await context.close();
  });
});

async function expectText(
  locator: { textContent(): Promise<string | null> },
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<void> {
  let last: string | null = null;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    last = await locator.textContent().catch(() => null);
    if (last && pattern.test(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected text matching ${pattern}, last seen: ${JSON.stringify(last)}`);
}
