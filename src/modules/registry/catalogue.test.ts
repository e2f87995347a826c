import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { signIn, type Caller } from '../../../test/support/api.ts';

describeEachTier('product catalogue, designations, divisions, departments and groups', (tier) => {
  let fx: Fixture;
  let admin: Caller;
  beforeAll(async () => {
    fx = await demoApp(tier);
    admin = await signIn(fx.app, 'admin');
  });
  afterAll(() => fx?.close());

  const product = (overrides: Record<string, unknown> = {}) => ({
    code: `TEST-${Math.random().toString(36).slice(2, 8)}`, nameZh: '测试氧化镝', nameEn: 'Test dysprosium oxide',
    category: 'separation_oxide', hsCode: '2846901500', reoContent: '0.995', elementSplit: { Dy: '1' }, ...overrides,
  });

  it('stores REO content and element split exactly and shows dysprosium as export-controlled', async () => {
    const res = await admin.post('/api/products', product({ elementSplit: { Pr: '0.25', Nd: '0.75' }, reoContent: 0.99 }));
    expect(res.status).toBe(201);
    expect(res.json.reoContent).toBe('0.990000');
    expect(res.json.elementSplit).toEqual({ Pr: '0.250000', Nd: '0.750000' });
    expect(res.json.exportControl).toEqual([]);
    const dy = await admin.post('/api/products', product());
    expect(dy.json.exportControl).toContainEqual(expect.objectContaining({ element: 'Dy', announcement: 'MOFCOM/GAC 2025 No. 18', status: 'controlled' }));
  });

  it('refuses an REO content above 1 or below 0, a split that does not add up to 1, and an unknown element, storing nothing', async () => {
    const before = (await admin.get('/api/products')).json.total;
    const above = await admin.post('/api/products', product({ reoContent: '1.2' }));
    expect(above.status).toBe(422);
    expect(above.json.errors).toContainEqual(expect.objectContaining({ field: 'reoContent', rule: 'max' }));
    const below = await admin.post('/api/products', product({ reoContent: -0.1 }));
    expect(below.json.errors).toContainEqual(expect.objectContaining({ field: 'reoContent', rule: 'min' }));
    const sum = await admin.post('/api/products', product({ elementSplit: { Pr: '0.3', Nd: '0.6' } }));
    expect(sum.json.errors).toContainEqual(expect.objectContaining({ field: 'elementSplit', rule: 'sum' }));
    const element = await admin.post('/api/products', product({ elementSplit: { Xx: '1' } }));
    expect(element.json.errors).toContainEqual(expect.objectContaining({ field: 'elementSplit.Xx', rule: 'element' }));
    const hs = await admin.post('/api/products', product({ hsCode: '28469' }));
    expect(hs.json.errors).toContainEqual(expect.objectContaining({ field: 'hsCode', rule: 'format' }));
    expect((await admin.get('/api/products')).json.total).toBe(before);
  });

  it('a mining designation needs its ore kind; a reversed period is refused; revoking records the reason once', async () => {
    const miners = (await admin.get('/api/enterprises?activity=mining&pageSize=1')).json.items;
    const enterpriseId = miners[0].id;
    const noOre = await admin.post('/api/designations', { enterpriseId, activity: 'mining', designatedBy: 'MIIT,MNR', documentNo: 'T-1', validFrom: '2030-01-01', validTo: '2030-12-31' });
    expect(noOre.status).toBe(422);
    expect(noOre.json.errors).toContainEqual(expect.objectContaining({ field: 'oreKind', rule: 'required' }));
    const reversed = await admin.post('/api/designations', { enterpriseId, activity: 'mining', oreKind: 'ion_adsorption', designatedBy: 'MIIT,MNR', documentNo: 'T-2', validFrom: '2031-01-01', validTo: '2030-12-31' });
    expect(reversed.json.errors).toContainEqual(expect.objectContaining({ field: 'validTo', rule: 'date_range' }));
    const created = await admin.post('/api/designations', { enterpriseId, activity: 'mining', oreKind: 'ion_adsorption', designatedBy: 'MIIT,MNR', documentNo: 'T-3', validFrom: '2040-01-01', validTo: '2040-12-31' });
    expect(created.status).toBe(201);
    expect(created.json.status).toBe('pending');
    const overlap = await admin.post('/api/designations', { enterpriseId, activity: 'mining', oreKind: 'ion_adsorption', designatedBy: 'MIIT,MNR', documentNo: 'T-4', validFrom: '2040-06-01', validTo: '2041-12-31' });
    expect(overlap.status).toBe(409);
    expect(overlap.json.errors[0]).toMatchObject({ field: 'validFrom', rule: 'overlap' });
    const revoked = await admin.post(`/api/designations/${created.json.id}/revoke`, { reason: '企业申请注销' });
    expect(revoked.json).toMatchObject({ status: 'revoked', revocationReason: '企业申请注销' });
    expect((await admin.post(`/api/designations/${created.json.id}/revoke`, { reason: 'again' })).status).toBe(409);
    expect((await admin.post(`/api/designations/${created.json.id}/revoke`, { reason: '' })).status).toBe(422);
  });

  it('designations list filters by status and a county official sees only its county’s', async () => {
    const current = await admin.get('/api/designations?status=current&pageSize=500');
    expect(current.json.total).toBeGreaterThan(10);
    for (const d of current.json.items) expect(d.status).toBe('current');
    // English names travel with designations so the English console needs no second lookup.
    expect(current.json.items.every((d: { enterpriseNameEn: string | null }) => typeof d.enterpriseNameEn === 'string' && d.enterpriseNameEn.length > 0)).toBe(true);
    const xunwu = await signIn(fx.app, 'xunwu');
    const own = await xunwu.get('/api/designations?pageSize=500');
    const xunwuEnterprises = new Set((await xunwu.get('/api/enterprises?pageSize=500')).json.items.map((e: { id: string }) => e.id));
    expect(own.json.total).toBeGreaterThan(0);
    for (const d of own.json.items) expect(xunwuEnterprises.has(d.enterpriseId)).toBe(true);
    expect((await xunwu.post('/api/designations', {})).status).toBe(403);
  });

  it('divisions carry the real GB/T 2260 tree and refuse a child under the wrong parent', async () => {
    const xunwu = await admin.get('/api/divisions/360734');
    expect(xunwu.json).toMatchObject({ nameZh: '寻乌县', level: 'county', parentCode: '360700', provinceCode: '360000', prefectureCode: '360700' });
    const chaoyang = await admin.get('/api/divisions/110105');
    expect(chaoyang.json).toMatchObject({ parentCode: '110000', prefectureCode: null });
    const provinces = await admin.get('/api/divisions?level=province&pageSize=100');
    expect(provinces.json.total).toBe(34);
    expect(provinces.json.items.find((d: { code: string }) => d.code === '150000').nameEn).toMatch(/Inner Mongolia/);
    const wrong = await admin.post('/api/divisions', { code: '360799', nameZh: '测试县', parentCode: '150200' });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors[0]).toMatchObject({ field: 'parentCode', rule: 'hierarchy' });
    const bad = await admin.post('/api/divisions', { code: '3607', nameZh: '测试' });
    expect(bad.json.errors[0]).toMatchObject({ field: 'code', rule: 'format' });
    expect((await admin.get('/api/divisions/360799')).status).toBe(404);
  });

  it('a national department has no division, a county department needs a county', async () => {
    const national = await admin.post('/api/departments', { code: 'TEST-NAT', nameZh: '测试部', nameEn: 'Test', kind: 'industry_it', level: 'national', divisionCode: '360000' });
    expect(national.json.errors[0]).toMatchObject({ field: 'divisionCode', rule: 'not_allowed' });
    const county = await admin.post('/api/departments', { code: 'TEST-CTY', nameZh: '测试局', nameEn: 'Test', kind: 'industry_it', level: 'county', divisionCode: '360700' });
    expect(county.json.errors[0]).toMatchObject({ field: 'divisionCode', rule: 'level' });
    const ok = await admin.post('/api/departments', { code: 'TEST-CTY2', nameZh: '定南县测试局', nameEn: 'Test', kind: 'natural_resources', level: 'county', divisionCode: '360728' });
    expect(ok.status).toBe(201);
    const ministries = await admin.get('/api/departments?level=national');
    expect(ministries.json.items.map((d: { code: string }) => d.code)).toEqual(expect.arrayContaining(['MIIT', 'MNR', 'NDRC', 'MOFCOM', 'GACC', 'STA', 'STATE_COUNCIL']));
  });

  it('groups: the two active groups and the merged earlier ones name their successor', async () => {
    const groups = (await admin.get('/api/groups?pageSize=100')).json.items as { code: string; status: string; mergedIntoId: string | null; id: string }[];
    const creg = groups.find((g) => g.code === 'CREG')!;
    expect(groups.filter((g) => g.status === 'active').map((g) => g.code).sort()).toEqual(['CREG', 'NORTHERN']);
    for (const g of groups.filter((x) => x.status === 'merged')) expect(g.mergedIntoId).toBe(creg.id);
    const bad = await admin.post('/api/groups', { code: 'TEST-G', nameZh: '测试', nameEn: 'Test', status: 'merged' });
    expect(bad.json.errors[0]).toMatchObject({ field: 'mergedIntoId', rule: 'required' });
  });
});
