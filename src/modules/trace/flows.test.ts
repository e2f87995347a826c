import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { signIn, type Caller } from '../../../test/support/api.ts';
import { buildDemoDataset } from '../demo/demo.dataset.ts';
import { DEMO_CONTEXT, demoFlowMonth } from '../demo/demo.trace.ts';
import { mintedLotUri, partyUri } from '../../domain/trace/ids.ts';

const data = buildDemoDataset();
const credit = (username: string) => data.users.find((u) => u.username === username)!.enterpriseCreditCode!;
const doc = (...events: Record<string, unknown>[]) => ({ '@context': DEMO_CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-01-01T00:00:00Z', epcisBody: { eventList: events } });
const { year, month } = demoFlowMonth();
const mm = String(month).padStart(2, '0');
const at = (day: number, hour = 9) => `${year}-${mm}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:30:00.000+08:00`;
const kg = (epcClass: string, quantity: number) => ({ epcClass, quantity, uom: 'KGM' });
const mining = (lot: string, quantity: number, day: number, site = 'MINE-1', who = 'xunwu-mine') => ({
  type: 'ObjectEvent', eventTime: at(day), eventTimeZoneOffset: '+08:00', action: 'ADD', bizStep: 'commissioning',
  bizLocation: { id: `https://id.ytterby.cn/loc/${credit(who)}/${site}` }, quantityList: [kg(lot, quantity)], ilmd: { 'ytb:assay': { treoPercent: '90.00' } },
});
const ship = (from: string, to: string, lot: string, quantity: number, day: number) => ({
  type: 'ObjectEvent', eventTime: at(day), eventTimeZoneOffset: '+08:00', action: 'OBSERVE', bizStep: 'shipping', quantityList: [kg(lot, quantity)],
  destinationList: [{ type: 'owning_party', destination: partyUri(credit(to)) }], bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:ytterby:vat:1234' }],
  sourceList: [{ type: 'owning_party', source: partyUri(credit(from)) }],
});
const receive = (from: string, lot: string, quantity: number, day: number) => ({
  type: 'ObjectEvent', eventTime: at(day), eventTimeZoneOffset: '+08:00', action: 'OBSERVE', bizStep: 'receiving', quantityList: [kg(lot, quantity)],
  sourceList: [{ type: 'owning_party', source: partyUri(credit(from)) }],
});
const transform = (inputs: [string, number][], outputs: [string, number][], day: number) => ({
  type: 'TransformationEvent', eventTime: at(day), eventTimeZoneOffset: '+08:00', inputQuantityList: inputs.map(([c, q]) => kg(c, q)), outputQuantityList: outputs.map(([c, q]) => kg(c, q)),
});

describeEachTier('traceability: rare-earth rules at capture, quota postings, corrections, closing, genealogy', (tier) => {
  let fx: Fixture;
  let mine: Caller;
  let separator: Caller;
  let magnet: Caller;
  let admin: Caller;
  const ore = mintedLotUri({ creditCode: credit('xunwu-mine'), productCode: 'CONC-ION-HIGH-Y', lotNumber: `T-${year}${mm}-1` });
  beforeAll(async () => {
    fx = await demoApp(tier);
    mine = await signIn(fx.app, 'xunwu-mine');
    separator = await signIn(fx.app, 'longnan-sep');
    magnet = await signIn(fx.app, 'ningbo-magnet');
    admin = await signIn(fx.app, 'admin');
  });
  afterAll(() => fx?.close());

  it('posts mining output to the quota ledger of the enterprise in REO (mass × TREO)', async () => {
    const enterpriseId = (await mine.get('/api/session')).json.user.enterprise.id as string;
    const before = await mine.get(`/api/quota/ledger?enterpriseId=${enterpriseId}&year=${year}`);
    expect(before.status, before.body).toBe(200);
    const res = await mine.post('/epcis/capture', doc(mining(ore, 10000, 5)));
    expect(res.status, res.body).toBe(202);
    const after = await mine.get(`/api/quota/ledger?enterpriseId=${enterpriseId}&year=${year}`);
    const added = (after.json as { id: string; kind: string; indicator: string; amountTonnesReo: string; periodMonth: number }[]).filter((e) => !(before.json as { id: string }[]).some((b) => b.id === e.id));
    expect(added).toMatchObject([{ kind: 'consumption', indicator: 'mining_ion_adsorption', amountTonnesReo: '-9.000000', periodMonth: month }]);
    const lot = await mine.get(`/api/trace/lots/lookup?uri=${encodeURIComponent(ore)}`);
    expect(lot.json).toMatchObject({ productCode: 'CONC-ION-HIGH-Y', originKind: 'mined', originDivisionCode: '360734', producedKg: '10000.000', producedReoKg: '9000.000', withinQuota: true });
    expect(lot.json.holdings).toMatchObject([{ kg: '10000.000' }]);
  });

  it('re-sending the same mining document stores nothing and posts nothing again', async () => {
    const again = await mine.post('/epcis/capture', doc(mining(ore, 10000, 5)));
    expect(again.json).toMatchObject({ storedCount: 0, duplicateCount: 1 });
    const lot = await mine.get(`/api/trace/lots/lookup?uri=${encodeURIComponent(ore)}`);
    expect(lot.json.movements).toHaveLength(1);
  });

  it('refuses an over-shipment, naming the event, the field and the rule; the document stores nothing', async () => {
    const res = await mine.post('/epcis/capture', doc(ship('xunwu-mine', 'longnan-sep', ore, 4000, 6), ship('xunwu-mine', 'longnan-sep', ore, 7000, 7)));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json.errors).toEqual([{ field: 'epcisBody.eventList.1.quantityList.0.quantity', rule: 'exceeds_remaining', message: expect.stringContaining('6000.000 kg of it remain') }]);
    const lot = await mine.get(`/api/trace/lots/lookup?uri=${encodeURIComponent(ore)}`);
    expect(lot.json.holdings).toMatchObject([{ kg: '10000.000' }]);
    const jobs = await mine.get('/epcis/capture');
    expect(jobs.json[0]).toMatchObject({ success: false, storedCount: 0, errors: [{ rule: 'exceeds_remaining' }] });
  });

  it('refuses separation by an enterprise without a smelting-separation designation, and raises an alert (Art. 7)', async () => {
    const shipped = await mine.post('/epcis/capture', doc(ship('xunwu-mine', 'ningbo-magnet', ore, 1000, 6)));
    expect(shipped.status, shipped.body).toBe(202);
    expect((await magnet.post('/epcis/capture', doc(receive('xunwu-mine', ore, 1000, 7)))).status).toBe(202);
    const oxide = mintedLotUri({ creditCode: credit('ningbo-magnet'), productCode: 'OX-Y', lotNumber: 'ILLEGAL-1' });
    const res = await magnet.post('/epcis/capture', doc(transform([[ore, 1000]], [[oxide, 300]], 8)));
    expect(res.status).toBe(422);
    expect(res.json.errors).toMatchObject([{ field: 'epcisBody.eventList.0.inputQuantityList', rule: 'undesignated' }]);
    const alerts = await admin.get('/api/trace/alerts?kind=undesignated_activity');
    expect(alerts.json).toMatchObject([{ kind: 'undesignated_activity', enterpriseNameZh: expect.any(String), details: { activity: 'smelting_separation' } }]);
    expect((await admin.get(`/api/trace/lots/lookup?uri=${encodeURIComponent(oxide)}`)).status).toBe(404);
  });

  it('refuses a transformation whose outputs contain more REO than its inputs', async () => {
    expect((await mine.post('/epcis/capture', doc(ship('xunwu-mine', 'longnan-sep', ore, 5000, 6)))).status).toBe(202);
    expect((await separator.post('/epcis/capture', doc(receive('xunwu-mine', ore, 5000, 7)))).status).toBe(202);
    const oxide = mintedLotUri({ creditCode: credit('longnan-sep'), productCode: 'OX-Y', lotNumber: `T-${year}${mm}-Y` });
    const res = await separator.post('/epcis/capture', doc(transform([[ore, 5000]], [[oxide, 4600]], 9)));
    expect(res.status).toBe(422);
    expect(res.json.errors).toMatchObject([{ field: 'epcisBody.eventList.0.outputQuantityList', rule: 'reo_exceeds_inputs' }]);
    const ok = await separator.post('/epcis/capture', doc(transform([[ore, 5000]], [[oxide, 4000]], 9)));
    expect(ok.status, ok.body).toBe(202);
    const separatorId = (await separator.get('/api/session')).json.user.enterprise.id as string;
    const ledger = await separator.get(`/api/quota/ledger?enterpriseId=${separatorId}&year=${year}&indicator=smelting_separation`);
    const fromFlows = (ledger.json as { note: string | null; amountTonnesReo: string }[]).filter((e) => e.note?.startsWith('product flows')).map((e) => e.amountTonnesReo);
    expect(fromFlows).toEqual(['-18.400000', '-4.500000']); // the demo's separation, then this one
    const up = await admin.get(`/api/trace/genealogy?lot=${encodeURIComponent(oxide)}&direction=upstream`);
    expect(up.json).toMatchObject({ complete: true, problems: [] });
    expect(up.json.edges).toEqual([{ from: ore, to: oxide, eventId: expect.any(String), parentKg: '5000.000', parentReoKg: '4500.000', childKg: '4000.000', childReoKg: expect.any(String) }]);
    const mined = (up.json.nodes as { uri: string; quota: unknown; originKind: string }[]).find((n) => n.uri === ore);
    expect(mined).toMatchObject({ originKind: 'mined', quota: { year, indicator: 'mining_ion_adsorption', withinQuota: true } });
  });

  it('an error declaration marks the original, reverses its stock and quota, and lets the corrective event in', async () => {
    const second = mintedLotUri({ creditCode: credit('xunwu-mine'), productCode: 'CONC-ION-HIGH-Y', lotNumber: `T-${year}${mm}-2` });
    const wrong = { ...mining(second, 3000, 10), eventID: 'urn:uuid:6f0a7c5e-0000-4000-8000-000000000001' };
    expect((await mine.post('/epcis/capture', doc(wrong))).status).toBe(202);
    const mineId = (await mine.get('/api/session')).json.user.enterprise.id as string;
    const ledgerSum = async () => (await mine.get(`/api/quota/balances?year=${year}&enterpriseId=${mineId}`)).json as { indicator: string; consumedTonnesReo: string }[];
    const consumedBefore = (await ledgerSum()).find((b) => b.indicator === 'mining_ion_adsorption')!.consumedTonnesReo;
    const corrective = { ...mining(second.replace(/-2$/, '-2B'), 300, 10), eventID: 'urn:uuid:6f0a7c5e-0000-4000-8000-000000000002' };
    const declaration = { ...wrong, errorDeclaration: { declarationTime: new Date().toISOString(), reason: 'incorrect_data', correctiveEventIDs: [corrective.eventID] } };
    const res = await mine.post('/epcis/capture', doc(declaration, corrective));
    expect(res.status, res.body).toBe(202);
    const consumedAfter = (await ledgerSum()).find((b) => b.indicator === 'mining_ion_adsorption')!.consumedTonnesReo;
    expect(Number(consumedBefore) - Number(consumedAfter)).toBeCloseTo(2.7 - 0.27, 6);
    const lot = await mine.get(`/api/trace/lots/lookup?uri=${encodeURIComponent(second)}`);
    expect(lot.json.holdings).toEqual([]);
    const original = await mine.get(`/epcis/events/${encodeURIComponent(wrong.eventID)}`);
    expect(original.json).toMatchObject({ eventID: wrong.eventID, errorDeclaration: { reason: 'incorrect_data', correctiveEventIDs: [corrective.eventID] } });
    // An event and its declaration in one document: stored, marked, and its effect undone.
    const slip = { ...mining(second.replace(/-2$/, '-2C'), 50, 10), eventID: 'urn:uuid:6f0a7c5e-0000-4000-8000-000000000003' };
    const both = await mine.post('/epcis/capture', doc(slip, { ...slip, errorDeclaration: { declarationTime: new Date().toISOString(), reason: 'did_not_occur' } }));
    expect(both.json, both.body).toMatchObject({ storedCount: 1, duplicateCount: 0 });
    expect((await mine.get(`/api/trace/lots/lookup?uri=${encodeURIComponent(second.replace(/-2$/, '-2C'))}`)).json.holdings).toEqual([]);
    const again = await mine.post('/epcis/capture', doc(declaration));
    expect(again.json).toMatchObject({ storedCount: 0 }); // declaring twice changes nothing
    expect((await ledgerSum()).find((b) => b.indicator === 'mining_ion_adsorption')!.consumedTonnesReo).toBe(consumedAfter);
  });

  it('after closing a month, its events are refused except as corrections (Art. 10)', async () => {
    const closed = await mine.post('/api/trace/closings', { year, month });
    expect(closed.status, closed.body).toBe(201);
    expect(closed.json.massBalance.find((r: { productCode: string }) => r.productCode === 'CONC-ION-HIGH-Y')).toMatchObject({ productionKg: '10300.000' });
    const late = mining(mintedLotUri({ creditCode: credit('xunwu-mine'), productCode: 'CONC-ION-HIGH-Y', lotNumber: 'LATE-1' }), 100, 20);
    const res = await mine.post('/epcis/capture', doc(late));
    expect(res.status).toBe(422);
    expect(res.json.errors).toMatchObject([{ field: 'epcisBody.eventList.0.eventTime', rule: 'month_closed' }]);
    const again = await mine.post('/api/trace/closings', { year, month });
    expect(again.status).toBe(409);
    const status = await admin.get(`/api/trace/closings?year=${year}&month=${month}&divisionCode=360734`);
    expect((status.json.items as { nameZh: string; status: string }[]).find((i) => i.status === 'closed' || i.status === 'late')).toBeTruthy();
  });

  it('refuses an event dated in the future', async () => {
    const future = { ...mining(mintedLotUri({ creditCode: credit('xunwu-mine'), productCode: 'CONC-ION-HIGH-Y', lotNumber: 'FUTURE-1' }), 100, 3), eventTime: new Date(Date.now() + 86_400_000).toISOString() };
    const res = await mine.post('/epcis/capture', doc(future));
    expect(res.status).toBe(422);
    expect(res.json.errors).toMatchObject([{ field: 'epcisBody.eventList.0.eventTime', rule: 'future_event' }]);
  });

  it('mining at a place that is not a registered mine of the enterprise is refused', async () => {
    const lot = mintedLotUri({ creditCode: credit('longnan-sep'), productCode: 'CONC-ION-HIGH-Y', lotNumber: 'NOPE' });
    const res = await separator.post('/epcis/capture', doc(mining(lot, 100, 3, 'PLANT-1', 'longnan-sep')));
    expect(res.status).toBe(422);
    expect(res.json.errors).toMatchObject([{ field: 'epcisBody.eventList.0.bizLocation', rule: 'mine_unregistered' }]);
  });

  it('demo flows trace a magnet lot back to the Xunwu mine, complete and within quota', async () => {
    const lots = await admin.get('/api/trace/lots?productCode=MAG-NDFEB-SINTERED');
    const magnetLot = (lots.json.items as { uri: string }[])[0]!.uri;
    const up = await admin.get(`/api/trace/genealogy?lot=${encodeURIComponent(magnetLot)}&direction=upstream`);
    expect(up.json.complete).toBe(true);
    const mined = (up.json.nodes as { originKind: string; originDivisionCode: string; producer: { nameZh: string } }[]).filter((n) => n.originKind === 'mined');
    expect(mined).toMatchObject([{ originDivisionCode: '360734', producer: { nameZh: '赣州寻乌南岭稀土矿业有限公司' } }]);
    const oneStep = await admin.get(`/api/trace/genealogy?lot=${encodeURIComponent(magnetLot)}&direction=upstream&depth=1`);
    expect(oneStep.json.nodes).toHaveLength(2);
    expect(oneStep.json.complete).toBe(false);
    // The magnet maker sees its own chain but not the mine's quantities.
    const own = await magnet.get(`/api/trace/genealogy?lot=${encodeURIComponent(magnetLot)}&direction=upstream`);
    const mineNode = (own.json.nodes as { originKind: string; redacted: boolean; producedKg: string | null }[]).find((n) => n.originKind === 'mined');
    expect(mineNode).toMatchObject({ redacted: true, producedKg: null });
    // The chain can be expanded past a supplier's lot, which shows redacted; strangers to the chain get 404.
    const oreUri = (up.json.nodes as { uri: string; originKind: string }[]).find((n) => n.originKind === 'mined')!.uri;
    const fromOre = await magnet.get(`/api/trace/genealogy?lot=${encodeURIComponent(oreUri)}&direction=upstream&depth=1`);
    expect(fromOre.status, fromOre.body).toBe(200);
    expect(fromOre.json.nodes).toMatchObject([{ uri: oreUri, redacted: true, producedKg: null }]);
    expect((await (await signIn(fx.app, 'baotou')).get(`/api/trace/genealogy?lot=${encodeURIComponent(oreUri)}`)).status).toBe(404);
    // The separator sees the quantities of its own transformation, though the ore is the mine's.
    const sepView = await separator.get(`/api/trace/genealogy?lot=${encodeURIComponent(oreUri)}&direction=downstream&depth=1`);
    expect((sepView.json.edges as { parentKg: string | null }[]).every((e) => e.parentKg === '20000.000')).toBe(true);
    // EPCIS query by party, business transaction and error declaration.
    const list = (res: { json: { epcisBody: { queryResults: { resultsBody: { eventList: { bizStep: string; eventID: string }[] } } } } }) => res.json.epcisBody.queryResults.resultsBody.eventList;
    const toSeparator = list(await admin.get(`/epcis/events?EQ_destination_owning_party=${encodeURIComponent(partyUri(credit('longnan-sep')))}&perPage=100`));
    expect(toSeparator.map((e) => e.bizStep)).toEqual(expect.arrayContaining(['shipping']));
    expect(toSeparator.length).toBeGreaterThanOrEqual(2); // the demo's shipment and this test's
    expect(list(await admin.get('/epcis/events?EQ_bizTransaction_inv=urn:ytterby:vat:3600261130012345'))).toHaveLength(1);
    expect(list(await admin.get('/epcis/events?EXISTS_errorDeclaration=true&perPage=100'))).toHaveLength(2); // the two declared in the test above
    expect(list(await admin.get(`/epcis/events?EQ_source_owning_party=${encodeURIComponent(partyUri(credit('ningbo-magnet')))}`))).toHaveLength(0);
    // A county official elsewhere cannot open the magnet lot at all.
    const xunwu = await signIn(fx.app, 'xunwu');
    expect((await xunwu.get(`/api/trace/lots/lookup?uri=${encodeURIComponent(magnetLot)}`)).status).toBe(404);
  });
});

describeEachTier('traceability: the public verification page behind a lot QR code', (tier) => {
  let fx: Fixture;
  beforeAll(async () => { fx = await demoApp(tier); });
  afterAll(() => fx?.close());

  it('shows product, producer, origin province and a complete chain, in zh-CN and English, without quantities or customers', async () => {
    const magnet = await signIn(fx.app, 'ningbo-magnet');
    const lots = await magnet.get('/api/trace/lots?productCode=MAG-NDFEB-SINTERED');
    const uri = (lots.json.items as { uri: string }[])[0]!.uri;
    const path = uri.replace('https://id.ytterby.cn', '');
    const page = await fx.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('烧结钕铁硼永磁体');
    expect(page.body).toContain('江西省');
    expect(page.body).toContain('data-complete="true"');
    expect(page.body).not.toMatch(/\d\s*kg|kg\b|千克/);
    expect(page.body).not.toContain('赣州龙南渥江稀土分离有限公司'); // a supplier of the producer is not shown
    const english = await fx.app.inject({ method: 'GET', url: `${path}?lang=en` });
    expect(english.body).toContain('Sintered NdFeB permanent magnet');
    expect(english.body).toContain('Jiangxi');
    const mint = await magnet.post('/api/trace/lots/mint', { productCode: 'MAG-NDFEB-SINTERED', lotNumber: 'QR-1' });
    expect(mint.status, mint.body).toBe(201);
    expect(mint.json.uri).toBe(`https://id.ytterby.cn/l/${credit('ningbo-magnet')}/MAG-NDFEB-SINTERED/10/QR-1`);
    expect(mint.json.qrSvg).toMatch(/^<svg/);
    const unknown = await fx.app.inject({ method: 'GET', url: `/l/${credit('ningbo-magnet')}/MAG-NDFEB-SINTERED/10/QR-1` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('未找到该批次');
  });
});

describeEachTier('traceability alerts: receipt mismatch, shipments never received, mass balance against the stocktake, missing closings', (tier) => {
  let fx: Fixture;
  beforeAll(async () => { fx = await demoApp(tier); });
  afterAll(() => fx?.close());

  it('raises each alert with the figures behind it, only within the caller’s jurisdiction', async () => {
    const mine = await signIn(fx.app, 'xunwu-mine');
    const separator = await signIn(fx.app, 'longnan-sep');
    const lot = mintedLotUri({ creditCode: credit('xunwu-mine'), productCode: 'CONC-ION-HIGH-Y', lotNumber: `A-${year}${mm}` });
    const stale = mintedLotUri({ creditCode: credit('xunwu-mine'), productCode: 'CONC-ION-HIGH-Y', lotNumber: `S-${year}${mm}` });
    const longAgo = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const staleShip = { ...ship('xunwu-mine', 'longnan-sep', stale, 500, 3), eventTime: longAgo };
    const staleMine = mining(stale, 500, 2);
    const res = await mine.post('/epcis/capture', doc(mining(lot, 2000, 2), ship('xunwu-mine', 'longnan-sep', lot, 2000, 3), staleMine, staleShip));
    expect(res.status, res.body).toBe(202);
    expect((await separator.post('/epcis/capture', doc(receive('xunwu-mine', lot, 1900, 4)))).status).toBe(202);
    const mismatch = (await separator.get('/api/trace/alerts?kind=receipt_mismatch')).json as { details: Record<string, string> }[];
    expect(mismatch).toMatchObject([{ details: { lot, shippedKg: '2000.000', receivedKg: '1900.000' } }]);
    const unreceived = (await separator.get('/api/trace/alerts?kind=shipment_unreceived')).json as { details: Record<string, string> }[];
    expect(unreceived).toMatchObject([{ details: { lot: stale, kg: '500.000' } }]);
    expect((await (await signIn(fx.app, 'baotou')).get('/api/trace/alerts?kind=receipt_mismatch')).json).toEqual([]);

    // The separator declares its stock of the ore 50 kg short of what its flows say, and closes the month.
    const declared = await separator.post('/api/trace/stocktakes', { year, month, productCode: 'CONC-ION-HIGH-Y', closingKg: '1850' });
    expect(declared.status, declared.body).toBe(201);
    const closed = await separator.post('/api/trace/closings', { year, month });
    expect(closed.status, closed.body).toBe(201);
    const row = (closed.json.massBalance as { productCode: string }[]).find((r) => r.productCode === 'CONC-ION-HIGH-Y');
    expect(row).toMatchObject({ openingKg: '0.000', receiptsKg: '1900.000', productionKg: '0.000', useKg: '0.000', shipmentsKg: '0.000', closingKg: '1900.000', declaredKg: '1850.000', differenceKg: '-50.000', withinTolerance: false,
      openingReoKg: '0.000', receiptsReoKg: '1710.000', useReoKg: '0.000', closingReoKg: '1710.000' }); // 90 % TREO as mined
    const balanceAlerts = (await separator.get('/api/trace/alerts?kind=mass_balance_difference')).json;
    expect(balanceAlerts).toMatchObject([{ details: { productCode: 'CONC-ION-HIGH-Y', differenceKg: '-50.000' } }]);
    expect((await separator.post('/api/trace/stocktakes', { year, month, productCode: 'CONC-ION-HIGH-Y', closingKg: '1900' })).status).toBe(409);
    expect((await separator.post('/api/trace/stocktakes', { year, month, productCode: 'NO-SUCH', closingKg: '-1' })).json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['closingKg', 'productCode']);

    // Two months back the deadline has passed: whoever did not close is listed as missing.
    const back = month <= 2 ? { year: year - 1, month: month + 10 } : { year, month: month - 2 };
    const status = await (await signIn(fx.app, 'jiangxi')).get(`/api/trace/closings?year=${back.year}&month=${back.month}`);
    const items = status.json.items as { status: string; provinceCode: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.status === 'missing' && i.provinceCode === '360000')).toBe(true);
    expect((await separator.post('/api/trace/closings', { year: 2999, month: 1 })).status).toBe(422);
    expect((await (await signIn(fx.app, 'jiangxi')).post('/api/trace/closings', { year, month })).status).toBe(403);
  });
});
