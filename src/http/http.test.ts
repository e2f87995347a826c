import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../test/support/fixture.ts';
import { anonymous, signIn } from '../../test/support/api.ts';

describeEachTier('HTTP conventions: health, OpenAPI, 404, 405, malformed bodies', (tier) => {
  let fx: Fixture;
  beforeAll(async () => { fx = await demoApp(tier); });
  afterAll(() => fx?.close());

  it('answers /healthz once the database is ready', async () => {
    const res = await anonymous(fx.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', database: tier });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas, and browsable docs', async () => {
    const res = await anonymous(fx.app).get('/openapi.json');
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/api/enterprises', '/api/enterprises/{id}', '/api/designations/{id}/revoke', '/api/session', '/api/audit']));
    expect(res.json.paths['/api/enterprises'].post.requestBody.content['application/json'].schema.properties.creditCode).toBeTruthy();
    const docs = await fx.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });

  it('an unknown route is a 404 problem, a wrong method a 405 with Allow', async () => {
    const admin = await signIn(fx.app, 'admin');
    const missing = await admin.get('/api/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    expect(missing.json.status).toBe(404);
    const wrong = await admin.delete('/api/products');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, POST');
    const missingItem = await admin.get('/api/products/00000000-0000-7000-8000-000000000000');
    expect(missingItem.status).toBe(404);
    expect((await admin.get('/api/products/not-a-uuid')).status).toBe(404);
  });

  it('a malformed JSON body is a 400 problem, a bad query parameter a 422 naming it', async () => {
    const admin = await signIn(fx.app, 'admin');
    const session = await fx.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'admin', password: 'Ytterby-demo-2026' } });
    const value = session.cookies.find((c) => c.name === 'ytterby_session')!.value;
    const res = await fx.app.inject({ method: 'POST', url: '/api/products', headers: { 'content-type': 'application/json', cookie: `ytterby_session=${value}` }, payload: '{"code": ' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    const paging = await admin.get('/api/enterprises?pageSize=100000');
    expect(paging.status).toBe(422);
    expect(paging.json.errors[0]).toMatchObject({ field: 'pageSize', rule: 'max' });
    const sort = await admin.get('/api/enterprises?sort=password');
    expect(sort.json.errors[0]).toMatchObject({ field: 'sort', rule: 'enum' });
  });
});
