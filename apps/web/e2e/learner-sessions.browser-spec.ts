/**
 * Learner sessions in a real browser: the page opened with a learner token (no API key, no cookie)
 * sees only that learner's sandboxes, opens the exercise the session names, and runs inside an
 * iframe of another origin (the tenant's embed origin). Screenshots land in test-output/web/.
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, CHROMIUM_PATH } from './browser';
import {
  ADMIN_KEY,
  buildPageAndApi,
  screenshotPath,
  seriousViolations,
  startApi,
  startFramingSite,
  type RunningApi,
} from './harness';

const WAIT = { timeout: 30_000 };
jest.setTimeout(120_000);

const hasChromium = existsSync(CHROMIUM_PATH);
const describeBrowser = hasChromium ? describe : describe.skip;
if (!hasChromium)
  describe('learner session browser tests (skipped: no Chromium at /usr/bin/chromium; apt-get install chromium)', () => {
    it.skip('needs Chromium', () => undefined);
  });

interface CreatedSession {
  token: string;
  url: string;
  embedUrl: string;
  session: { id: string };
}

describeBrowser('learner sessions in Chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let framing: { origin: string; server: Server; frame(src: string): string };

  beforeAll(async () => {
    buildPageAndApi();
    // Embedded PGlite migrates and seeds on start: slow on a busy machine.
    api = await startApi(240_000);
    browser = await launchChromium();
    framing = await startFramingSite();
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    if (framing) await new Promise((resolve) => framing.server.close(resolve));
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
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  const learnerSession = (learnerRef: string, extra: Record<string, unknown> = {}) =>
    rest<CreatedSession>('POST', '/v1/learner-sessions', { learnerRef, ...extra });

  async function newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { context, page, errors };
  }

  const websiteManifests = async () =>
    (await rest<{ manifests: string }>('GET', `/v1/sandboxes/${api.websiteSandboxId}`)).manifests;

  it("a learner's page lists only the learner's sandboxes and cannot open another learner's", async () => {
    const alice = await learnerSession('alice');
    const bob = await learnerSession('bob');
    const manifests = await websiteManifests();
    const mine = await rest<{ id: string }>(
      'POST',
      '/v1/sandboxes',
      { name: 'alice-website', manifests },
      alice.token,
    );
    const theirs = await rest<{ id: string }>(
      'POST',
      '/v1/sandboxes',
      { name: 'bob-website', manifests },
      bob.token,
    );

    const { context, page, errors } = await newPage();
    await page.goto(`${api.url}${alice.url}`);
    await page.getByRole('heading', { name: 'Playground' }).waitFor(WAIT);
    // The token moved from the address to the tab's storage.
    expect(page.url()).not.toContain('token=');
    await page.getByText('Learner alice').waitFor(WAIT);
    const sandboxes = page.locator('section[aria-labelledby="sandboxes-heading"]');
    await sandboxes.getByRole('link', { name: 'alice-website' }).waitFor(WAIT);
    expect(await sandboxes.getByRole('link').allTextContents()).toEqual(['alice-website']);
    expect(await page.getByText('bob-website').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('learner-home-1280x800'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${api.url}/sandboxes/${theirs.id}`);
    await page.getByRole('alert').filter({ hasText: 'not found' }).waitFor(WAIT);
    expect(await page.locator('.cm-content').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('learner-other-sandbox-refused-1280x800') });

    await page.goto(`${api.url}/sandboxes/${mine.id}`);
    await page.locator('.cm-content').waitFor(WAIT);

    await rest('DELETE', `/v1/learner-sessions/${alice.session.id}`);
    await page.reload();
    await page.getByRole('heading', { name: 'Your session has ended' }).waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('learner-session-ended-1280x800') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens the exercise a session names inside an iframe of the embed origin, and submits as the learner', async () => {
    await rest(
      'PUT',
      `/v1/admin/tenants/${api.tenantId}/embed-origins`,
      { origins: [framing.origin] },
      ADMIN_KEY,
    );
    const exercises = await rest<{ items: { id: string; slug: string; title: string }[] }>(
      'GET',
      '/v1/exercises',
    );
    const exercise = exercises.items.find((x) => x.slug === 'fix-the-dns-name')!;
    const carol = await learnerSession('carol', { exerciseId: exercise.id });
    expect(carol.embedUrl).toBe(
      `/embed/${api.tenantId}/exercises/${exercise.id}#token=${carol.token}`,
    );

    const { context, page, errors } = await newPage();
    await page.goto(framing.frame(`${api.url}${carol.embedUrl}`));
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { name: exercise.title }).waitFor(WAIT);
    expect(await frame.locator('.top-bar').count()).toBe(0);
    await frame.getByRole('button', { name: 'Start the exercise' }).click(WAIT);
    await frame.locator('.cm-content').waitFor(WAIT);
    await frame.getByText('Submitting as carol').waitFor(WAIT);
    expect(await frame.getByLabel('Learner reference').count()).toBe(0);
    await frame.getByRole('button', { name: 'Submit for grading' }).click();
    await frame.getByText(/^Score \d+ of \d+$/).waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('learner-embed-exercise-1280x800') });
    const inner = page.frames()[1];
    expect(inner).toBeDefined();
    expect(await seriousViolations(inner!)).toEqual([]);

    // The sandbox and submission belong to carol: the tenant sees them, another learner does not.
    const started = await rest<{ items: { id: string; name: string }[] }>(
      'GET',
      `/v1/sandboxes?name=${exercise.slug}`,
      undefined,
      carol.token,
    );
    expect(started.items).toHaveLength(1);
    const dave = await learnerSession('dave');
    const seen = await fetch(`${api.url}/v1/sandboxes/${started.items[0]!.id}`, {
      headers: { Authorization: `Bearer ${dave.token}` },
    });
    expect(seen.status).toBe(404);

    // A new launch of the same exercise resumes carol's sandbox instead of starting over.
    const again = await learnerSession('carol', { exerciseId: exercise.id });
    const second = await context.newPage();
    await second.goto(framing.frame(`${api.url}${again.embedUrl}`));
    const secondFrame = second.frameLocator('iframe');
    await secondFrame.locator('.cm-content').waitFor(WAIT);
    expect(await secondFrame.getByRole('button', { name: 'Start the exercise' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows an instructor the exercise's results, by keyboard and at both sizes, and never a learner", async () => {
    const exercises = await rest<{ items: { id: string; slug: string; title: string }[] }>(
      'GET',
      '/v1/exercises',
    );
    const exercise = exercises.items.find((x) => x.slug === 'fix-the-dns-name')!;
    const ivy = await learnerSession('ivy', { exerciseId: exercise.id });
    const teacher = await learnerSession('teacher-1', {
      exerciseId: exercise.id,
      role: 'instructor',
    });

    // The learner works and submits: the page shows no results view to a learner.
    const learnerPage = await newPage();
    await learnerPage.page.goto(`${api.url}${ivy.url}`);
    await learnerPage.page.getByRole('heading', { name: exercise.title }).waitFor(WAIT);
    await learnerPage.page.getByRole('button', { name: 'Start the exercise' }).click(WAIT);
    await learnerPage.page.getByRole('button', { name: 'Submit for grading' }).click(WAIT);
    await learnerPage.page.getByText(/^Score \d+ of \d+$/).waitFor(WAIT);
    expect(await learnerPage.page.getByRole('heading', { name: 'Results' }).count()).toBe(0);
    expect(learnerPage.errors).toEqual([]);
    await learnerPage.context.close();

    const { context, page, errors } = await newPage();
    await page.goto(`${api.url}${teacher.url}`);
    await page.getByText('Instructor teacher-1').waitFor(WAIT);
    const results = page.getByRole('region', { name: 'Results' });
    const ivyRow = results.getByRole('row', { name: /^ivy/ });
    await ivyRow.waitFor(WAIT);
    expect(await ivyRow.getByRole('cell').allTextContents()).toEqual([
      '—',
      '1',
      expect.stringMatching(/^\d+ \/ \d+$/),
      '✕ not passed',
      expect.stringMatching(/\d/),
    ]);
    await page
      .getByText(/^\d+ learners?: \d+ attempted, \d+ passed\. No course roster/)
      .waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('instructor-results-1280x800'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    // Keyboard: Refresh is reachable and works, then the table's scroll region takes focus.
    const refresh = page.getByRole('button', { name: 'Refresh results' });
    await refresh.focus();
    await page.keyboard.press('Enter');
    await refresh.waitFor(WAIT);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('region');

    await page.setViewportSize({ width: 390, height: 844 });
    await ivyRow.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('instructor-results-390x844'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('makes a share link that opens read-only at its trace in a browser with no key or session', async () => {
    const erin = await learnerSession('erin');
    const sandbox = await rest<{ id: string }>(
      'POST',
      '/v1/sandboxes',
      { name: 'erin-website', manifests: await websiteManifests() },
      erin.token,
    );
    const { context, page, errors } = await newPage();
    await page.goto(
      `${api.url}/sandboxes/${sandbox.id}?from=default%2Fclient&to=http%3A%2F%2Fwebsite.default%2F#token=${erin.token}`,
    );
    await page.getByRole('button', { name: 'Create share link' }).click(WAIT);
    const link = await page.getByRole('link', { name: 'Share link' }).getAttribute('href', WAIT);
    expect(link).toMatch(
      new RegExp(`^${api.url}/share/${sandbox.id}/1\\?from=.*#token=nsh_[A-Za-z0-9_-]{43}$`),
    );
    await context.close();

    const stranger = await newPage();
    await stranger.page.goto(link!);
    await stranger.page.getByText('(read-only link)').waitFor(WAIT);
    await stranger.page
      .getByRole('status')
      .filter({ hasText: /delivered/ })
      .first()
      .waitFor(WAIT);
    expect(await stranger.page.getByRole('button', { name: 'Save revision' }).count()).toBe(0);
    expect(await stranger.page.getByRole('button', { name: 'Create share link' }).count()).toBe(0);
    // Nothing on the page leads where the token cannot go.
    expect(await stranger.page.getByRole('link', { name: 'Open the sandbox' }).count()).toBe(0);
    expect(await stranger.page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await seriousViolations(stranger.page)).toEqual([]);
    await stranger.page.screenshot({ path: screenshotPath('share-link-no-key-1280x800') });
    // The token reads that revision only: the API refuses it anything else.
    const token = new URL(link!).hash.replace('#token=', '');
    const other = await fetch(`${api.url}/v1/sandboxes/${sandbox.id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(403);
    expect([...errors, ...stranger.errors]).toEqual([]);
    await stranger.context.close();
  });
});
