// A learner's LTI 1.3 launch in Chromium, the way a course page makes it: the course (one origin)
// frames netplay's login initiation URL; netplay redirects the frame to the platform stand-in's
// auth endpoint (a third origin), whose page form-posts the id_token and state back to
// /lti/launch; netplay opens the playground's embed page on the exercise in a learner session.
// No cookie is involved anywhere (the state is sealed and travels through the form post). An
// instructor's launch opens the exercise's results with the course roster (NRPS, three pages):
// its learners a page of 100 at a time, its instructor left out.
// Needs the built page (npm run build:web) and /usr/bin/chromium; skipped with the reason otherwise.
import { readExercise } from '@netplay/grading';
import type { JSONWebKeySet } from 'jose';
import { existsSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { startLtiPlatformStandIn, type LtiPlatformStandIn } from '@netplay/testing';
import { findWebRoot } from '../web/web-app';
import {
  DATABASE_URL,
  REDIS_URL,
  SERVICES_SKIP_REASON,
  startTestApi,
  TEST_ADMIN_KEY,
  type TestApi,
  FIRST_EXERCISE_YAML,
  setLoopbackTestEnvironment,
} from '../testing/test-api';

jest.setTimeout(120_000);

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output/lti');
const EXERCISE_YAML = FIRST_EXERCISE_YAML;
const EXERCISE = readExercise(EXERCISE_YAML).exercise!;
const CLIENT_ID = 'browser-client';

const skipReason = !(DATABASE_URL && REDIS_URL)
  ? SERVICES_SKIP_REASON
  : !findWebRoot(process.env.NETPLAY_WEB_DIR)
    ? 'skipped: the page is not built (npm run build:web)'
    : !existsSync(CHROMIUM_PATH)
      ? `skipped: no Chromium at ${CHROMIUM_PATH}`
      : undefined;
const describeInBrowser = skipReason
  ? (name: string, suite: () => void) => describe.skip(`${name} (${skipReason})`, suite)
  : describe;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
/** Enough learners for the results to take two pages (the page reads 100 at a time). */
const EXTRA_LEARNERS = 100;
const MEMBERS = [
  { sub: 'learner-sub-1', roles: [LEARNER], name: 'Ada' },
  { sub: 'learner-sub-2', roles: [LEARNER], name: 'Grace' },
  { sub: 'teacher-sub-1', roles: [INSTRUCTOR], name: 'Barbara' },
  ...Array.from({ length: EXTRA_LEARNERS }, (_, index) => {
    const number = String(index + 1).padStart(3, '0');
    return { sub: `learner-sub-extra-${number}`, roles: [LEARNER], name: `Member ${number}` };
  }),
];

describeInBrowser('an LTI launch in Chromium, framed by a course page of another origin', () => {
  let api: TestApi;
  let base: string;
  let platform: LtiPlatformStandIn;
  let course: http.Server;
  let courseOrigin: string;
  let browser: Browser;
  let tenantId: string;
  /** The tenant's key: a learner outside the course submits with it. */
  let tenantAuth: Record<string, string>;
  let exerciseId: string;

  beforeAll(async () => {
    setLoopbackTestEnvironment();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await startTestApi({ port, publicUrl: base });
    await api.api.app.listen(port, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });

    const tenant = await api.newTenant();
    tenantId = tenant.tenantId;
    tenantAuth = tenant.auth;
    platform = await startLtiPlatformStandIn({
      clientId: CLIENT_ID,
      keys: async () =>
        (await request(api.http).get(`/v1/lti/${tenant.tenantId}/jwks.json`)).body as JSONWebKeySet,
      members: MEMBERS,
      // The course roster comes in pages of 50 members (NRPS Link: rel="next").
      membershipsPageSize: 50,
    });
    await request(api.http)
      .post('/v1/lti/platforms')
      .set(tenant.auth)
      .send({
        issuer: platform.issuer,
        clientId: CLIENT_ID,
        tokenUrl: platform.tokenUrl,
        authUrl: platform.authUrl,
        platformJwksUrl: platform.jwksUrl,
        deploymentIds: [platform.deploymentId],
      })
      .expect(201);
    const exercise = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE_YAML })
      .expect(201);
    exerciseId = exercise.body.id as string;

    // The course page: `localhost` is another origin (and host) than the API's 127.0.0.1.
    const login = `${base}/lti/login?${new URLSearchParams({
      iss: platform.issuer,
      login_hint: 'course-user',
      target_link_uri: `${base}/lti/launch?exercise=${exerciseId}`,
      client_id: CLIENT_ID,
      lti_deployment_id: platform.deploymentId,
    })}`;
    course = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<!doctype html><title>Course</title><h1>Kubernetes networking course</h1>
         <iframe id="tool" src="${login.replace(/&/g, '&amp;')}" width="1200" height="800"></iframe>`,
      );
    });
    const coursePort = await freePort();
    await new Promise<void>((resolve) => course.listen(coursePort, '127.0.0.1', resolve));
    courseOrigin = `http://localhost:${coursePort}`;
    await request(api.http)
      .put(`/v1/admin/tenants/${tenant.tenantId}/embed-origins`)
      .set({ Authorization: `Bearer ${TEST_ADMIN_KEY}` })
      .send({ origins: [courseOrigin] })
      .expect(200);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await new Promise((resolve) => (course ? course.close(resolve) : resolve(undefined)));
    await api?.close();
  });

  /** Opens the course page and waits (bounded) for the tool's frame to land on the exercise. */
  async function launchInCourse(page: Page): Promise<Frame> {
    await page.goto(`${courseOrigin}/`);
    const frameOnExercise = () =>
      page
        .frames()
        .find(
          (frame) => new URL(frame.url()).pathname === `/embed/${tenantId}/exercises/${exerciseId}`,
        );
    const deadline = Date.now() + 30_000;
    let frame = frameOnExercise();
    while (!frame && Date.now() < deadline) {
      await page.waitForTimeout(200);
      frame = frameOnExercise();
    }
    expect(frame).toBeDefined();
    await frame!.getByText(EXERCISE.title).first().waitFor({ timeout: 30_000 });
    return frame!;
  }

  it('opens the playground on the exercise inside the course page', async () => {
    platform.nextLaunch({ user: { sub: 'learner-sub-1', roles: [LEARNER] } });
    const authRequests = platform.log.authRequests.length;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const frame = await launchInCourse(page);
      expect(platform.log.authRequests).toHaveLength(authRequests + 1);
      // A learner sees no results view.
      expect(await frame.getByRole('heading', { name: 'Results' }).count()).toBe(0);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lti-launch-in-course.png') });
    } finally {
      await page.close();
    }
  });

  it("shows an instructor's launch the results with the course's learners, who never attempted included, a page at a time", async () => {
    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(tenantAuth)
      .send({ learnerRef: 'outside-learner', manifests: '', mode: 'full' })
      .expect(202);
    platform.nextLaunch({ user: { sub: 'teacher-sub-1', roles: [INSTRUCTOR] } });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      const frame = await launchInCourse(page);
      const results = frame.getByRole('region', { name: 'Results' });
      await results.getByRole('row', { name: /^Grace/ }).waitFor({ timeout: 30_000 });
      // By learner reference (lti:<platform>:<sub>, then the learner from outside the course); the
      // instructor (Barbara) is not a learner and is not listed.
      const extras = MEMBERS.slice(3).map((member) => expect.stringMatching(`^${member.name}`));
      expect(await results.getByRole('rowheader').allTextContents()).toEqual([
        expect.stringMatching(/^Ada/),
        expect.stringMatching(/^Grace/),
        ...extras.slice(0, 98),
      ]);
      await frame
        .getByText(/^103 learners: \d+ attempted, \d+ passed \(1 instructor not listed\)\./)
        .waitFor();
      await frame.getByRole('button', { name: 'Show more learners' }).click();
      await results.getByRole('row', { name: /^outside-learner/ }).waitFor({ timeout: 30_000 });
      expect(await results.getByRole('rowheader').allTextContents()).toEqual([
        expect.stringMatching(/^Ada/),
        expect.stringMatching(/^Grace/),
        ...extras,
        'outside-learner',
      ]);
      expect(await frame.getByRole('button', { name: 'Show more learners' }).count()).toBe(0);
      const grace = results.getByRole('row', { name: /^Grace/ });
      expect(await grace.getByRole('cell').allTextContents()).toEqual([
        'Learner',
        '0',
        '—',
        '— not attempted',
        'never',
      ]);
      await frame.getByText(/Course roster from the LMS included/).waitFor();
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({
        path: path.join(SCREENSHOT_DIR, 'lti-instructor-results-in-course.png'),
      });
    } finally {
      await page.close();
    }
  });
});
