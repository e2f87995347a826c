import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { anonymous, signIn, type Caller } from '../../../test/support/api.ts';
import { creditCodeCheckCharacter } from '../../domain/credit-code.ts';

/** A valid code for a county, unique per call. */
let serial = 0;
function creditCode(division = '360734'): string {
  serial++;
  const body = `91${division}TET${String(serial).padStart(5, '0')}A`.slice(0, 17);
  return body + creditCodeCheckCharacter(body);
}

function withWrongCheckCharacter(code: string): string {
  const last = code[17]!;
  return code.slice(0, 17) + (last === '0' ? '1' : '0');
}

const newEnterprise = (overrides: Record<string, unknown> = {}) => ({
  creditCode: creditCode(), nameZh: '寻乌县测试稀土materials有限公司', nameEn: 'Xunwu Test Materials Co., Ltd.',
  domicileDivisionCode: '360734', activities: ['trading'], capacityTonnesReo: '1200.5',
  licences: [{ kind: 'safety_licence', number: '(赣)FM安许证字〔2025〕0001', issuedBy: '江西省应急管理厅', validFrom: '2025-01-01', validTo: '2028-01-01' }],
  ...overrides,
});

async function countByQuery(caller: Caller, q: string): Promise<number> {
  const res = await caller.get(`/api/enterprises?q=${encodeURIComponent(q)}`);
  return res.json.total;
}

describeEachTier('enterprises: registration, validation and jurisdiction', (tier) => {
  let fx: Fixture;
  let admin: Caller;
  beforeAll(async () => {
    fx = await demoApp(tier);
    admin = await signIn(fx.app, 'admin');
  });
  afterAll(() => fx?.close());

  it('a ministry administrator registers an enterprise and reads it back with capacity in tonnes and licence status', async () => {
    const input = newEnterprise();
    const res = await admin.post('/api/enterprises', input);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ creditCode: input.creditCode, domicileDivisionCode: '360734', capacityTonnesReo: '1200.500000', active: true });
    expect(res.json.licences).toHaveLength(1);
    expect(res.json.licences[0]).toMatchObject({ kind: 'safety_licence', validTo: '2028-01-01' });
    const got = await admin.get(`/api/enterprises/${res.json.id}`);
    expect(got.json.nameEn).toBe('Xunwu Test Materials Co., Ltd.');
  });

  it('a wrong check character is refused at the creditCode field and nothing is stored', async () => {
    const input = newEnterprise();
    const res = await admin.post('/api/enterprises', { ...input, creditCode: withWrongCheckCharacter(input.creditCode) });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.errors).toContainEqual(expect.objectContaining({ field: 'creditCode', rule: 'check_character' }));
    expect(await countByQuery(admin, input.creditCode.slice(0, 17))).toBe(0);
  });

  it('a duplicate credit code is a 409 naming the field, and the first registration is unchanged', async () => {
    const input = newEnterprise();
    expect((await admin.post('/api/enterprises', input)).status).toBe(201);
    const res = await admin.post('/api/enterprises', { ...input, nameZh: '另一家' });
    expect(res.status).toBe(409);
    expect(res.json.errors[0]).toMatchObject({ field: 'creditCode', rule: 'unique' });
    const list = await admin.get(`/api/enterprises?q=${input.creditCode}`);
    expect(list.json.total).toBe(1);
    expect(list.json.items[0].nameZh).toBe(input.nameZh);
  });

  it('an unknown division, a non-county domicile and a reversed licence period are each refused with the field and rule', async () => {
    const unknown = await admin.post('/api/enterprises', newEnterprise({ domicileDivisionCode: '369999' }));
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors).toContainEqual(expect.objectContaining({ field: 'domicileDivisionCode', rule: 'exists' }));
    const prefecture = await admin.post('/api/enterprises', newEnterprise({ domicileDivisionCode: '360700' }));
    expect(prefecture.json.errors).toContainEqual(expect.objectContaining({ field: 'domicileDivisionCode', rule: 'county_level' }));
    const reversed = newEnterprise({ licences: [{ kind: 'mining_licence', number: 'C1', issuedBy: 'MNR', validFrom: '2026-01-01', validTo: '2025-01-01' }] });
    const res = await admin.post('/api/enterprises', reversed);
    expect(res.status).toBe(422);
    expect(res.json.errors).toContainEqual(expect.objectContaining({ field: 'licences.0.validTo', rule: 'date_range' }));
    expect(await countByQuery(admin, (reversed.creditCode as string))).toBe(0);
  });

  it('schema violations name the field and rule: missing name, unknown activity, capacity with too many decimals', async () => {
    const res = await admin.post('/api/enterprises', newEnterprise({ nameZh: '', activities: ['smuggling'] }));
    expect(res.status).toBe(422);
    const fields = res.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['nameZh', 'activities.0']));
    const capacity = await admin.post('/api/enterprises', newEnterprise({ capacityTonnesReo: '1.1234567' }));
    expect(capacity.json.errors).toContainEqual(expect.objectContaining({ field: 'capacityTonnesReo', rule: 'scale' }));
  });

  it('lists with paging, filtering by division subtree and activity, and sorting', async () => {
    const page1 = await admin.get('/api/enterprises?pageSize=10&page=1&sort=creditCode&order=desc');
    expect(page1.status).toBe(200);
    expect(page1.json.items).toHaveLength(10);
    expect(page1.json.total).toBeGreaterThan(100);
    const codes = page1.json.items.map((e: { creditCode: string }) => e.creditCode);
    expect(codes).toEqual([...codes].sort().reverse());
    const page2 = await admin.get('/api/enterprises?pageSize=10&page=2&sort=creditCode&order=desc');
    expect(page2.json.items[0].creditCode < codes[9]).toBe(true);
    const ganzhou = await admin.get('/api/enterprises?divisionCode=360700&pageSize=500');
    expect(ganzhou.json.total).toBeGreaterThan(0);
    for (const e of ganzhou.json.items) expect(e.domicileDivisionCode.slice(0, 4)).toBe('3607');
    const miners = await admin.get('/api/enterprises?activity=mining&pageSize=500');
    for (const e of miners.json.items) expect(e.activities).toContain('mining');
  });

  it('deactivates instead of deleting; DELETE is 405 with the allowed methods', async () => {
    const created = (await admin.post('/api/enterprises', newEnterprise())).json;
    const del = await admin.delete(`/api/enterprises/${created.id}`);
    expect(del.status).toBe(405);
    expect(String(del.headers.allow)).toContain('PATCH');
    const res = await admin.post(`/api/enterprises/${created.id}/deactivate`);
    expect(res.status).toBe(200);
    expect(res.json.active).toBe(false);
    expect((await admin.get(`/api/enterprises/${created.id}`)).json.active).toBe(false);
  });

  it('a county official sees only enterprises domiciled in the county, and gets 404 for another county’s enterprise', async () => {
    const xunwu = await signIn(fx.app, 'xunwu');
    const list = await xunwu.get('/api/enterprises?pageSize=500');
    expect(list.json.total).toBeGreaterThanOrEqual(2);
    for (const e of list.json.items) expect(e.domicileDivisionCode).toBe('360734');
    const longnan = await admin.get('/api/enterprises?divisionCode=360783');
    expect(longnan.json.total).toBeGreaterThanOrEqual(1);
    const other = longnan.json.items[0];
    expect((await xunwu.get(`/api/enterprises/${other.id}`)).status).toBe(404);
    expect((await xunwu.patch(`/api/enterprises/${other.id}`, { nameZh: '改名' })).status).toBe(404);
    expect((await admin.get(`/api/enterprises/${other.id}`)).json.nameZh).toBe(other.nameZh);
    const moved = await xunwu.post('/api/enterprises', newEnterprise({ creditCode: creditCode('360783'), domicileDivisionCode: '360783' }));
    expect(moved.status).toBe(422);
    expect(moved.json.errors).toContainEqual(expect.objectContaining({ field: 'domicileDivisionCode', rule: 'jurisdiction' }));
  });

  it('a province official sees the whole province, not the neighbouring one', async () => {
    const jiangxi = await signIn(fx.app, 'jiangxi');
    const list = await jiangxi.get('/api/enterprises?pageSize=500');
    expect(list.json.total).toBeGreaterThan(2);
    for (const e of list.json.items) expect(e.domicileDivisionCode.slice(0, 2)).toBe('36');
    const baotou = await admin.get('/api/enterprises?divisionCode=150200');
    expect((await jiangxi.get(`/api/enterprises/${baotou.json.items[0].id}`)).status).toBe(404);
  });

  it('an enterprise sees only itself and cannot register or change enterprises', async () => {
    const mine = await signIn(fx.app, 'xunwu-mine');
    const list = await mine.get('/api/enterprises');
    expect(list.json.total).toBe(1);
    const own = list.json.items[0];
    expect((await mine.get(`/api/enterprises/${own.id}`)).status).toBe(200);
    const others = await admin.get('/api/enterprises?divisionCode=360734');
    const neighbour = others.json.items.find((e: { id: string }) => e.id !== own.id);
    expect((await mine.get(`/api/enterprises/${neighbour.id}`)).status).toBe(404);
    expect((await mine.post('/api/enterprises', newEnterprise())).status).toBe(403);
    expect((await mine.patch(`/api/enterprises/${own.id}`, { nameZh: '自己改名' })).status).toBe(403);
  });

  it('a ministry reviewer reads everything but cannot write', async () => {
    const reviewer = await signIn(fx.app, 'reviewer');
    expect((await reviewer.get('/api/enterprises')).json.total).toBeGreaterThan(100);
    const res = await reviewer.post('/api/enterprises', newEnterprise());
    expect(res.status).toBe(403);
    expect(res.json.detail).toMatch(/enterprise\.write/);
  });

  it('an anonymous caller gets 401', async () => {
    const res = await anonymous(fx.app).get('/api/enterprises');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

describeEachTier('enterprises: hardening against hostile input', (tier) => {
  let fx: Fixture;
  let admin: Caller;
  beforeAll(async () => {
    fx = await demoApp(tier);
    admin = await signIn(fx.app, 'admin');
  });
  afterAll(() => fx?.close());

  it('a NUL character anywhere is a 422 naming the field, never a 500, even before sign-in', async () => {
    const login = await anonymous(fx.app).post('/api/session', { username: 'ad\u0000min', password: 'x' });
    expect(login.status).toBe(422);
    expect(login.json.errors[0]).toMatchObject({ field: 'username', rule: 'nul_character' });
    const q = await admin.get('/api/enterprises?q=%00');
    expect(q.status).toBe(422);
    const body = await admin.post('/api/enterprises', newEnterprise({ nameZh: 'a\u0000b' }));
    expect(body.json.errors[0]).toMatchObject({ field: 'nameZh', rule: 'nul_character' });
  });

  it('an absurd capacity is refused at the field, and database messages never reach the caller', async () => {
    const res = await admin.post('/api/enterprises', newEnterprise({ capacityTonnesReo: '99999999999999999999999999' }));
    expect(res.status).toBe(422);
    expect(res.json.errors).toContainEqual(expect.objectContaining({ field: 'capacityTonnesReo', rule: 'max' }));
    expect(res.body).not.toMatch(/insert into|Failed query/i);
  });

  it('unknown fields are refused rather than silently dropped, and a no-op change writes no audit entry', async () => {
    const created = (await admin.post('/api/enterprises', newEnterprise())).json;
    const extra = await admin.patch(`/api/enterprises/${created.id}`, { nameZh: '新名', creditCode: '91350100M000100Y43' });
    expect(extra.status).toBe(422);
    expect(extra.json.errors[0]).toMatchObject({ rule: 'unknown_field' });
    expect((await admin.get(`/api/enterprises/${created.id}`)).json.nameZh).toBe(created.nameZh);
    const auditor = await signIn(fx.app, 'auditor');
    const before = (await auditor.get(`/api/audit?entityId=${created.id}`)).json.total;
    expect((await admin.patch(`/api/enterprises/${created.id}`, {})).status).toBe(200);
    expect((await auditor.get(`/api/audit?entityId=${created.id}`)).json.total).toBe(before);
  });

  it('a designated activity cannot be dropped from the registration while the designation stands', async () => {
    const miner = (await admin.get('/api/designations?status=current&activity=mining&pageSize=1')).json.items[0];
    const res = await admin.patch(`/api/enterprises/${miner.enterpriseId}`, { activities: ['trading'] });
    expect(res.status).toBe(409);
    expect(res.json.errors[0]).toMatchObject({ field: 'activities', rule: 'designated_activity' });
  });

  it('deactivating an enterprise stops its accounts signing in and ends its designations’ force', async () => {
    const mine = await signIn(fx.app, 'longnan-sep');
    const me = (await mine.get('/api/session')).json.user;
    expect((await admin.post(`/api/enterprises/${me.enterprise.id}/deactivate`)).status).toBe(200);
    expect((await mine.get('/api/session')).status).toBe(401);
    expect((await anonymous(fx.app).post('/api/session', { username: 'longnan-sep', password: 'Ytterby-demo-2026' })).status).toBe(401);
    expect((await admin.post(`/api/enterprises/${me.enterprise.id}/reactivate`)).json.active).toBe(true);
    expect((await signIn(fx.app, 'longnan-sep'))).toBeTruthy();
  });

  it('a lowercase bearer scheme works, and a deactivated user can be reactivated', async () => {
    const { createApiToken } = await import('../auth/sessions.service.ts');
    const { systemActor } = await import('../auth/actor.ts');
    const { secret } = await createApiToken(fx.database.db, systemActor(), 'mofcom', 'test');
    const res = await fx.app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `bearer ${secret}` } });
    expect(JSON.parse(res.body).user.username).toBe('mofcom');
    const user = (await admin.get('/api/users?q=mofcom')).json.items[0];
    expect((await admin.post(`/api/users/${user.id}/deactivate`)).json.active).toBe(false);
    expect((await admin.post(`/api/users/${user.id}/reactivate`)).json.active).toBe(true);
  });
});
