// A tenant's own work budget, set by the operator (PUT /v1/admin/tenants/:id/rate-limit), and the
// refusal of a spent tenant's large bodies before they are read (spent-tenant-gate.ts).
import request from 'supertest';
import {
  describeWithServices,
  startTestApi,
  TEST_ADMIN_KEY,
  type TestApi,
} from '../testing/test-api';
import { RateLimitsService } from './rate-limits.service';
import { SPENT_TENANT_BODY_THRESHOLD } from './spent-tenant-gate';

jest.setTimeout(60_000);

const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
/** The deployment's budget here: nothing refills within a test (one point every 12 s). */
const DEFAULT_PER_MINUTE = 5;

describeWithServices('tenant work budgets', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ rateLimitPerMinute: DEFAULT_PER_MINUTE });
  });

  afterAll(async () => {
    await api?.close();
  });

  const readsAllowed = async (auth: { Authorization: string }, attempts: number) => {
    let allowed = 0;
    for (let i = 0; i < attempts; i += 1) {
      const answer = await request(api.http).get('/v1/sandboxes').set(auth);
      if (answer.status === 200) allowed += 1;
      else expect(answer.status).toBe(429);
    }
    return allowed;
  };

  it('meters a tenant by the budget the operator gave it, and the others by the deployment’s', async () => {
    const raised = await api.newTenant();
    const other = await api.newTenant();
    const set = await request(api.http)
      .put(`/v1/admin/tenants/${raised.tenantId}/rate-limit`)
      .set(ADMIN)
      .send({ perMinute: 600, burst: 12 })
      .expect(200);
    expect(set.body).toEqual({
      tenantId: raised.tenantId,
      perMinute: 600,
      burst: 12,
      effective: { perMinute: 600, burst: 12 },
    });
    // The burst is what a tenant can spend at once: 12 reads, then 429 until points refill
    // (10 a second here, so a few may refill while the test runs).
    const raisedAllowed = await readsAllowed(raised.auth, 12);
    expect(raisedAllowed).toBe(12);
    expect(await readsAllowed(other.auth, 12)).toBe(DEFAULT_PER_MINUTE);
  });

  it('reads a tenant’s budget, gives a rate alone its own burst, and goes back to the default on null', async () => {
    const tenant = await api.newTenant();
    const path = `/v1/admin/tenants/${tenant.tenantId}/rate-limit`;
    const initial = await request(api.http).get(path).set(ADMIN).expect(200);
    expect(initial.body).toEqual({
      tenantId: tenant.tenantId,
      perMinute: null,
      burst: null,
      effective: { perMinute: DEFAULT_PER_MINUTE, burst: DEFAULT_PER_MINUTE },
    });
    const rateAlone = await request(api.http)
      .put(path)
      .set(ADMIN)
      .send({ perMinute: 8, burst: null })
      .expect(200);
    expect(rateAlone.body.effective).toEqual({ perMinute: 8, burst: 8 });
    expect(await readsAllowed(tenant.auth, 10)).toBe(8);
    await request(api.http).put(path).set(ADMIN).send({ perMinute: null, burst: null }).expect(200);
    const back = await request(api.http).get(path).set(ADMIN).expect(200);
    expect(back.body.effective).toEqual({
      perMinute: DEFAULT_PER_MINUTE,
      burst: DEFAULT_PER_MINUTE,
    });
  });

  it('refuses budgets out of range, missing fields and unknown tenants, and answers only the operator', async () => {
    const tenant = await api.newTenant();
    const path = `/v1/admin/tenants/${tenant.tenantId}/rate-limit`;
    for (const [body, field] of [
      [{ perMinute: 0, burst: null }, 'perMinute'],
      [{ perMinute: 10, burst: 1.5 }, 'burst'],
      [{ perMinute: 5_000_001, burst: null }, 'perMinute'],
      [{ perMinute: 10 }, 'burst'],
    ] as const) {
      const refused = await request(api.http).put(path).set(ADMIN).send(body).expect(400);
      expect(refused.body.error.code).toBe('validation-failed');
      expect(JSON.stringify(refused.body.error.details)).toContain(field);
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    await request(api.http)
      .put(`/v1/admin/tenants/${unknown}/rate-limit`)
      .set(ADMIN)
      .send({ perMinute: 10, burst: null })
      .expect(404);
    await request(api.http).get(`/v1/admin/tenants/${unknown}/rate-limit`).set(ADMIN).expect(404);
    await request(api.http).get(path).set(tenant.auth).expect(401);
  });

  it('refuses a spent tenant’s large body before reading it, and still reads small ones', async () => {
    const tenant = await api.newTenant();
    expect(await readsAllowed(tenant.auth, DEFAULT_PER_MINUTE + 1)).toBe(DEFAULT_PER_MINUTE);
    // Malformed JSON: read, it would be a 400; refused before it is read, a 429.
    const malformed = `{"name": "big", "manifests": "${'x'.repeat(SPENT_TENANT_BODY_THRESHOLD)}`;
    const refused = await request(api.http)
      .post('/v1/sandboxes')
      .set(tenant.auth)
      .set('content-type', 'application/json')
      .send(malformed)
      .expect(429);
    expect(refused.body.error.code).toBe('rate-limited');
    expect(refused.body.error.message).toContain('the body was not read');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // A GraphQL request as large is refused the same way, in GraphQL's shape.
    const graphql = await request(api.http)
      .post('/graphql')
      .set(tenant.auth)
      .send({
        query: `{ sandboxes { edges { cursor } } } # ${'x'.repeat(SPENT_TENANT_BODY_THRESHOLD)}`,
      })
      .expect(429);
    expect(graphql.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(graphql.headers['retry-after'])).toBeGreaterThan(0);
    // A small body is read (and found malformed) before the budget is asked.
    await request(api.http)
      .post('/v1/sandboxes')
      .set(tenant.auth)
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    // Once the operator raises its budget, its large bodies are read again at once.
    await request(api.http)
      .put(`/v1/admin/tenants/${tenant.tenantId}/rate-limit`)
      .set(ADMIN)
      .send({ perMinute: 600, burst: null })
      .expect(200);
    await request(api.http)
      .post('/v1/sandboxes')
      .set(tenant.auth)
      .set('content-type', 'application/json')
      .send(malformed)
      .expect(400);
    // Another tenant's large body is read as usual.
    const other = await api.newTenant();
    await request(api.http)
      .post('/v1/sandboxes')
      .set(other.auth)
      .set('content-type', 'application/json')
      .send(malformed)
      .expect(400);
  });

  it('charges engine time beyond what a request includes, refusing the tenant until the debt is paid', async () => {
    const charged = await api.newTenant();
    const other = await api.newTenant();
    await request(api.http).get('/v1/sandboxes').set(charged.auth).expect(200);
    // Four of the five points left; 200 ms of engine time costs 15 more: in debt.
    await api.api.app.get(RateLimitsService).chargeEngineTime(charged.tenantId, 200);
    const refused = await request(api.http).get('/v1/sandboxes').set(charged.auth).expect(429);
    // 4 − 15 is floored at one full bucket of debt (−5); one point every 12 s: 6 points, 72 s.
    expect(Number(refused.headers['retry-after'])).toBe(72);
    await request(api.http).get('/v1/sandboxes').set(other.auth).expect(200);
    const metrics = await request(api.http).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/netplay_engine_time_points_total \d+/);
  });
});
