import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { anonymous, callerWithHeaders, signIn, type Caller } from '../../../test/support/api.ts';
import { createApiToken } from './sessions.service.ts';
import { systemActor } from './actor.ts';
import { DEMO_PASSWORD } from '../demo/demo.seed.ts';

describeEachTier('accounts, sessions, tokens and role checks', (tier) => {
  let fx: Fixture;
  let admin: Caller;
  beforeAll(async () => {
    fx = await demoApp(tier);
    admin = await signIn(fx.app, 'admin');
  });
  afterAll(() => fx?.close());

  it('signing in sets an httpOnly cookie and answers with role and jurisdiction', async () => {
    const res = await fx.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'xunwu', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'ytterby_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const me = JSON.parse(res.body).user;
    expect(me).toMatchObject({ username: 'xunwu', role: 'local_official', jurisdiction: { level: 'county', divisionCode: '360734' } });
    expect(me.department.code).toBe('IIT-360734');
  });

  it('a wrong password is 401 without saying which part was wrong, and sign-out ends the session', async () => {
    const bad = await anonymous(fx.app).post('/api/session', { username: 'admin', password: 'wrong-password' });
    expect(bad.status).toBe(401);
    expect(bad.json.detail).toBe('wrong username or password');
    const unknown = await anonymous(fx.app).post('/api/session', { username: 'nobody', password: 'wrong-password' });
    expect(unknown.json.detail).toBe('wrong username or password');
    const session = await signIn(fx.app, 'reviewer');
    expect((await session.get('/api/session')).status).toBe(200);
    expect((await session.delete('/api/session')).status).toBe(204);
    expect((await session.get('/api/session')).status).toBe(401);
  });

  it('five failed logins for a username throttle it with 429 and Retry-After, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await anonymous(fx.app).post('/api/session', { username: 'mnr', password: `wrong-${i}` })).status).toBe(401);
    }
    const throttled = await anonymous(fx.app).post('/api/session', { username: 'mnr', password: DEMO_PASSWORD });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('an API token authenticates a system as its user; an unknown token is 401', async () => {
    const { secret } = await createApiToken(fx.database.db, systemActor(), 'customs', 'test');
    const system = callerWithHeaders(fx.app, { authorization: `Bearer ${secret}` });
    const me = await system.get('/api/session');
    expect(me.json.user).toMatchObject({ username: 'customs', role: 'exchange_system' });
    expect((await system.get('/api/products')).status).toBe(200);
    expect((await system.get('/api/users')).status).toBe(403);
    expect((await system.get('/api/audit')).status).toBe(403);
    expect((await callerWithHeaders(fx.app, { authorization: 'Bearer ytt_forged' }).get('/api/products')).status).toBe(401);
  });

  it('creates users in exactly one organisation, refusing mismatches and weak passwords', async () => {
    const ministries = (await admin.get('/api/departments?level=national')).json.items;
    const miit = ministries.find((d: { code: string }) => d.code === 'MIIT');
    const enterprise = (await admin.get('/api/enterprises?pageSize=1')).json.items[0];
    const both = await admin.post('/api/users', { username: 'both', displayName: 'Both', password: 'long-enough-pw', role: 'ministry_reviewer', departmentId: miit.id, enterpriseId: enterprise.id });
    expect(both.status).toBe(422);
    expect(both.json.errors).toContainEqual(expect.objectContaining({ field: 'enterpriseId', rule: 'not_allowed' }));
    const weak = await admin.post('/api/users', { username: 'weak', displayName: 'Weak', password: 'short', role: 'ministry_reviewer', departmentId: miit.id });
    expect(weak.json.errors).toContainEqual(expect.objectContaining({ field: 'password', rule: 'min_length' }));
    const localAtMinistry = await admin.post('/api/users', { username: 'local', displayName: 'L', password: 'long-enough-pw', role: 'local_official', departmentId: miit.id });
    expect(localAtMinistry.json.errors).toContainEqual(expect.objectContaining({ field: 'role', rule: 'local_department' }));
    const ok = await admin.post('/api/users', { username: 'new-operator', displayName: '新操作员', password: 'long-enough-pw', role: 'enterprise_operator', enterpriseId: enterprise.id });
    expect(ok.status).toBe(201);
    expect(ok.json).not.toHaveProperty('passwordHash');
    const dup = await admin.post('/api/users', { username: 'NEW-operator', displayName: 'x', password: 'long-enough-pw', role: 'enterprise_operator', enterpriseId: enterprise.id });
    expect(dup.status).toBe(409);
    expect(dup.json.errors[0]).toMatchObject({ field: 'username', rule: 'unique' });
    expect((await signIn(fx.app, 'new-operator', 'long-enough-pw'))).toBeTruthy();
  });

  it('an enterprise user lists only its own enterprise’s users and cannot create users', async () => {
    const mine = await signIn(fx.app, 'xunwu-mine');
    const me = (await mine.get('/api/session')).json.user;
    const list = await mine.get('/api/users?pageSize=500');
    expect(list.json.total).toBeGreaterThanOrEqual(2);
    for (const u of list.json.items) expect(u.enterpriseId).toBe(me.enterprise.id);
    const others = (await admin.get('/api/users?role=enterprise_operator&pageSize=500')).json.items.filter((u: { enterpriseId: string }) => u.enterpriseId !== me.enterprise.id);
    expect(others.length).toBeGreaterThan(0);
    expect((await mine.get(`/api/users?enterpriseId=${others[0].enterpriseId}`)).json.total).toBe(0);
    expect((await mine.get(`/api/users/${others[0].id}`)).status).toBe(404);
    expect((await mine.post('/api/users', { username: 'x1', displayName: 'x', password: 'long-enough-pw', role: 'enterprise_reporter', enterpriseId: me.enterprise.id })).status).toBe(403);
  });

  it('a deactivated user can no longer sign in', async () => {
    const created = await admin.post('/api/users', { username: 'leaving', displayName: 'Leaving', password: 'long-enough-pw', role: 'auditor', departmentId: (await admin.get('/api/session')).json.user.department.id });
    expect((await admin.post(`/api/users/${created.json.id}/deactivate`)).json.active).toBe(false);
    expect((await anonymous(fx.app).post('/api/session', { username: 'leaving', password: 'long-enough-pw' })).status).toBe(401);
  });
});
