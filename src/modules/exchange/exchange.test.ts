import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerWithHeaders, signIn, type Caller } from '../../../test/support/api.ts';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { creditCodeCheckCharacter } from '../../domain/credit-code.ts';
import { systemActor } from '../auth/actor.ts';
import { createApiToken } from '../auth/sessions.service.ts';
import { enterprises } from '../registry/registry.tables.ts';
import { licenceDecision } from './exchange.records.ts';
import { XLSX_CONTENT_TYPE } from './exchange.files.ts';

const unregistered = (() => { const body = '91110000MA01XY0'.padEnd(17, '1'); return body + creditCodeCheckCharacter(body); })();

/** GB18030 bytes of a text of ASCII and two-byte characters (TextEncoder writes only UTF-8). */
function gb18030(text: string): Buffer {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) table.set(decoder.decode(new Uint8Array([a, b])), [a, b]);
  return Buffer.from([...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : table.get(ch) ?? [0x3f])));
}

describeEachTier('exchange: licences, declarations and invoices from Commerce, Customs and Taxation', (tier) => {
  let fx: Fixture;
  let mofcom: Caller;
  let customs: Caller;
  let taxation: Caller;
  let tokens: Record<string, string>;
  let exporter: { creditCode: string; nameZh: string; id: string };

  const licence = (no: string, overrides: Record<string, unknown> = {}) => ({
    licenceNo: no, exporterCreditCode: exporter.creditCode, exporterName: exporter.nameZh,
    endUserName: 'Acme Magnetics GmbH', endUserCountry: 'DE', validFrom: '2025-05-01', validTo: '2026-04-30',
    items: [{ element: 'Dy', productCode: 'OX-DY', quantity: '2', unit: 't' }], ...overrides,
  });
  const declaration = (no: string, overrides: Record<string, unknown> = {}) => ({
    declarationNo: no, direction: 'export', declarantCreditCode: unregistered, declarantName: '某报关行',
    partyCreditCode: exporter.creditCode, partyName: exporter.nameZh, hsCode: '2846901500', goodsDescription: '氧化镝',
    productCode: 'OX-DY', quantity: '500', unit: 'kg', country: 'DE', port: '天津新港', declaredOn: '2025-06-01', licenceNo: 'LIC-2025-0001', ...overrides,
  });
  const invoice = (number: string, overrides: Record<string, unknown> = {}) => ({
    invoiceCode: '1500251130', invoiceNumber: number, sellerCreditCode: exporter.creditCode, sellerName: exporter.nameZh,
    buyerCreditCode: unregistered, buyerName: '某磁材有限公司', goodsName: '*稀土冶炼分离产品*混合碳酸稀土', quantity: '10', unit: 't',
    amount: '1234567.89', issuedOn: '2025-06-02', ...overrides,
  });
  const upload = async (token: string, url: string, type: string, payload: Buffer | string, fileName: string) => {
    const res = await fx.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': type, 'content-disposition': `attachment; filename="${fileName}"` }, payload });
    return { status: res.statusCode, json: JSON.parse(res.body) };
  };

  beforeAll(async () => {
    fx = await demoApp(tier);
    tokens = {};
    for (const user of ['mofcom', 'customs', 'taxation']) tokens[user] = (await createApiToken(fx.database.db, systemActor(), user, 'exchange test')).secret;
    mofcom = callerWithHeaders(fx.app, { authorization: `Bearer ${tokens.mofcom}` });
    customs = callerWithHeaders(fx.app, { authorization: `Bearer ${tokens.customs}` });
    taxation = callerWithHeaders(fx.app, { authorization: `Bearer ${tokens.taxation}` });
    const [row] = await fx.database.db.select({ creditCode: enterprises.creditCode, nameZh: enterprises.nameZh, id: enterprises.id })
      .from(enterprises).where(eq(enterprises.nameZh, '包头九原瑞和稀土冶炼分离有限公司'));
    exporter = row!;
  });
  afterAll(() => fx?.close());

  it('stores a delivery of licences, linking the registered exporter; re-delivery changes nothing', async () => {
    const first = await mofcom.post('/api/exchange/licences', { records: [licence('LIC-2025-0001'), licence('LIC-2025-0002')] });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ created: 2, unchanged: 0, revised: 0 });
    const again = await mofcom.post('/api/exchange/licences', { records: [licence('LIC-2025-0001'), licence('LIC-2025-0002')] });
    expect(again.json).toMatchObject({ created: 0, unchanged: 2, revised: 0 });
    expect(again.json.deliveryId).not.toBe(first.json.deliveryId);
    const read = await mofcom.get('/api/exchange/licences?number=LIC-2025-0001');
    expect(read.json.items).toHaveLength(1);
    expect(read.json.items[0]).toMatchObject({
      revision: 1, departmentCode: 'MOFCOM', exporter: { creditCode: exporter.creditCode, enterpriseId: exporter.id },
      endUser: { name: 'Acme Magnetics GmbH', country: 'DE' },
      items: [{ element: 'Dy', productCode: 'OX-DY', quantityGrams: '2000000', reoGrams: '1980000' }],
    });
  });

  it('the same number with new content is a revision; the previous stays as history', async () => {
    const res = await mofcom.post('/api/exchange/licences', { records: [licence('LIC-2025-0002', { validTo: '2026-06-30' })] });
    expect(res.json).toMatchObject({ created: 0, unchanged: 0, revised: 1 });
    const history = await mofcom.get('/api/exchange/licences?number=LIC-2025-0002&history=true');
    expect(history.json.items.map((i: { revision: number; current: boolean }) => [i.revision, i.current]).sort()).toEqual([[1, false], [2, true]]);
  });

  it('two deliveries of the same new record at once store it once', async () => {
    const both = await Promise.all([1, 2].map(() => mofcom.post('/api/exchange/licences', { records: [licence('LIC-2025-0300')] })));
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(both.map((r) => r.json.created).sort()).toEqual([0, 1]);
    expect((await mofcom.get('/api/exchange/licences?number=LIC-2025-0300&history=true')).json.items).toHaveLength(1);
  });

  it('a delivery with one bad record stores none and names every record and field', async () => {
    const res = await mofcom.post('/api/exchange/licences', { records: [
      licence('LIC-2025-0100'),
      licence('LIC-2025-0101', { exporterCreditCode: exporter.creditCode.slice(0, 17) + (exporter.creditCode[17] === '0' ? '1' : '0'), items: [{ element: 'Nd', productCode: 'OX-DY', quantity: '1.0000001', unit: 't' }] }),
      licence('LIC-2025-0100'),
    ] });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'records.1.exporterCreditCode', rule: 'check_character' }),
      expect.objectContaining({ field: 'records.1.items.0.element', rule: 'element_not_in_product' }),
      expect.objectContaining({ field: 'records.1.items.0.quantity', rule: 'scale' }),
      expect.objectContaining({ field: 'records.2.licenceNo', rule: 'duplicate' }),
    ]));
    expect(res.json).toMatchObject({ code: 'exchange.invalid_records', refused: 2 });
    expect((await mofcom.get('/api/exchange/licences?number=LIC-2025-0100')).json.items).toHaveLength(0);
    const logged = (await mofcom.get('/api/exchange/deliveries')).json.items.find((d: { id: string }) => d.id === res.json.deliveryId);
    expect(logged).toMatchObject({ status: 'refused', recordCount: 3, refused: 2, created: 0 });
  });

  it('each department delivers only its own kind; enterprises and counties cannot deliver', async () => {
    const wrong = await customs.post('/api/exchange/licences', { records: [licence('LIC-2025-0200')] });
    expect(wrong.status).toBe(403);
    expect(wrong.json.code).toBe('exchange.not_your_records');
    expect((await taxation.post('/api/exchange/declarations', { records: [declaration('123456789012345678')] })).json.code).toBe('exchange.not_your_records');
    const operator = await signIn(fx.app, 'baotou-sep');
    const county = await signIn(fx.app, 'xunwu');
    for (const caller of [operator, county]) {
      const res = await caller.post('/api/exchange/licences', { records: [licence('LIC-2025-0200')] });
      expect(res.status).toBe(403);
    }
    expect((await operator.get('/api/exchange/licences')).status).toBe(403);
  });

  it('the end user is redacted for Customs and shown for MOFCOM and MIIT; other departments\' reads are audited', async () => {
    const seen = await customs.get('/api/exchange/licences?number=LIC-2025-0001');
    expect(seen.status).toBe(200);
    expect(seen.json.items[0].endUser).toEqual({ name: '[redacted]', country: '[redacted]' });
    expect(JSON.stringify(seen.json)).not.toContain('Acme');
    const admin = await signIn(fx.app, 'admin');
    expect((await admin.get('/api/exchange/licences?number=LIC-2025-0001')).json.items[0].endUser.name).toBe('Acme Magnetics GmbH');
    const auditor = await signIn(fx.app, 'auditor');
    expect((await auditor.get('/api/exchange/licences?number=LIC-2025-0001')).json.items[0].endUser.name).toBe('[redacted]');
    const log = await auditor.get('/api/audit?actor=customs&action=read');
    expect(log.status).toBe(200);
    expect(log.json.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'read', entity: 'exchange_licences', actorUsername: 'customs' })]));
    // MOFCOM reading its own licences is not a read of another department's records
    expect((await auditor.get('/api/audit?actor=mofcom&action=read')).json.items).toHaveLength(0);
  });

  it('a declaration needs a licence when the rule in force on its date controls the goods', async () => {
    const without = await customs.post('/api/exchange/declarations', { records: [declaration('531620250000000001', { licenceNo: null })] });
    expect(without.status).toBe(422);
    expect(without.json.errors).toEqual([expect.objectContaining({ field: 'records.0.licenceNo', rule: 'licence_required' })]);
    expect(without.json.errors[0].message).toContain('MOFCOM/GAC 2025 No. 18');
    const res = await customs.post('/api/exchange/declarations', { records: [
      declaration('531620250000000001'),
      declaration('531620250000000002', { licenceNo: null, declaredOn: '2025-03-20' }), // before 4 April 2025
      declaration('531620250000000003', { licenceNo: null, productCode: 'OX-HO', hsCode: '2846901992', goodsDescription: '氧化钬', declaredOn: '2026-01-15' }), // suspended
      declaration('531620250000000004', { direction: 'import', licenceNo: null }),
    ] });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ created: 4 });
    const lic = await mofcom.get('/api/exchange/licences?number=LIC-2025-0001');
    expect(lic.json.items[0]).toMatchObject({ licensedGrams: '2000000', usedGrams: '500000', remainingGrams: '1500000' });
  });

  it('invoices: the catalogue goods name; mixed carbonates are stated in REO; amounts in fen', async () => {
    const res = await taxation.post('/api/exchange/invoices', { records: [invoice('00000001'), invoice('00000002', { goodsName: '氧化镝', quantity: '100', unit: 'kg' })] });
    expect(res.status).toBe(201);
    const read = await taxation.get('/api/exchange/invoices?number=1500251130-00000001');
    expect(read.json.items[0]).toMatchObject({ productCode: 'SALT-CARBONATE-MIXED', quantityBasis: 'reo', quantityGrams: '10000000', reoGrams: '10000000', amountFen: '123456789', seller: { enterpriseId: exporter.id }, buyer: { enterpriseId: null, creditCode: unregistered } });
    const oxide = (await taxation.get('/api/exchange/invoices?number=1500251130-00000002')).json.items[0];
    expect(oxide).toMatchObject({ quantityBasis: 'product', quantityGrams: '100000', reoGrams: '99000' });
    const bad = await taxation.post('/api/exchange/invoices', { records: [invoice('00000003', { goodsName: '稀土', amount: '1.234' })] });
    expect(bad.json.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'records.0.goodsName', rule: 'catalogue' }),
      expect.objectContaining({ field: 'records.0.amount', rule: 'format' }),
    ]));
  });

  it('CSV files: every error by row and column, then the corrected file stored as a file delivery', async () => {
    const header = 'invoiceCode,invoiceNumber,sellerCreditCode,sellerName,buyerCreditCode,buyerName,goodsName,quantity,unit,amount,issuedOn';
    const row = (n: string, goods = '氧化镝', date = '2025-07-01') => [ '1500251130', n, exporter.creditCode, exporter.nameZh, unregistered, '某磁材有限公司', goods, '20', 'kg', '50000.00', date].join(',');
    const bad = await upload(tokens.taxation!, '/api/exchange/invoices', 'text/csv', [header, row('00000010'), row('00000011', '镝', '2025-07-32')].join('\n'), 'invoices.csv');
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'records.1.goodsName', rule: 'catalogue', row: 3, column: 'goodsName' }),
      expect.objectContaining({ field: 'records.1.issuedOn', rule: 'date', row: 3, column: 'issuedOn' }),
    ]));
    expect((await taxation.get('/api/exchange/invoices?number=1500251130-00000010')).json.items).toHaveLength(0);
    const good = await upload(tokens.taxation!, '/api/exchange/invoices', 'text/csv', [header, row('00000010'), row('00000011')].join('\n'), 'invoices.csv');
    expect(good.status).toBe(201);
    expect(good.json).toMatchObject({ created: 2 });
    const list = await taxation.get('/api/exchange/deliveries');
    expect(list.json.items[0]).toMatchObject({ channel: 'file', fileName: 'invoices.csv', kind: 'invoices', status: 'stored', created: 2 });
    expect(list.json.items[1]).toMatchObject({ channel: 'file', fileName: 'invoices.csv', status: 'refused', refused: 1, problemCount: 2 });
  });

  it('JSON files and GB18030 CSV from Chinese Excel are file deliveries too', async () => {
    const json = await upload(tokens.customs!, '/api/exchange/declarations', 'application/json',
      JSON.stringify([declaration('531620250000000010', { direction: 'import', licenceNo: null })]), 'declarations.json');
    expect(json.status).toBe(201);
    const header = 'declarationNo,direction,declarantCreditCode,declarantName,partyCreditCode,partyName,hsCode,goodsDescription,productCode,quantity,unit,country,port,declaredOn,licenceNo';
    const row = ['531620250000000011', 'import', unregistered, '某报关行', exporter.creditCode, exporter.nameZh, '2612200000', '独居石精矿', 'CONC-MONAZITE', '30', 't', 'MG', '防城港', '2025-08-01', ''].join(',');
    const gb = gb18030(`${header}\n${row}`);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb)).toThrow();
    const res = await upload(tokens.customs!, '/api/exchange/declarations', 'text/csv', gb, 'declarations.csv');
    expect(res.status).toBe(201);
    const stored = (await customs.get('/api/exchange/declarations?number=531620250000000011')).json.items[0];
    expect(stored).toMatchObject({ goodsDescription: '独居石精矿', port: '防城港', quantityGrams: '30000000', reoGrams: '18000000' });
    const deliveries = (await customs.get('/api/exchange/deliveries')).json.items;
    expect(deliveries.map((d: { channel: string; fileName: string | null }) => [d.channel, d.fileName])).toEqual(expect.arrayContaining([['file', 'declarations.json'], ['api', null]]));
  });

  it('a local department reads the records naming an enterprise domiciled in its division', async () => {
    const baotou = await signIn(fx.app, 'baotou');
    const xunwu = await signIn(fx.app, 'xunwu');
    const own = await baotou.get('/api/exchange/licences?number=LIC-2025-0001');
    expect(own.json.items).toHaveLength(1);
    expect(own.json.items[0].endUser.name).toBe('[redacted]');
    expect((await baotou.get('/api/exchange/invoices')).json.items.length).toBeGreaterThan(0);
    expect((await xunwu.get('/api/exchange/licences')).json.items).toHaveLength(0);
    expect((await xunwu.get('/api/exchange/deliveries')).status).toBe(403);
  });

  it('XLSX files: licence rows grouped by number, errors by row and column', async () => {
    const workbook = async (rows: (string | number | Date)[][]) => {
      const wb = new ExcelJS.Workbook();
      const sheet = wb.addWorksheet('licences');
      sheet.addRow(['licenceNo', 'exporterCreditCode', 'exporterName', 'endUserName', 'endUserCountry', 'validFrom', 'validTo', 'element', 'productCode', 'quantity', 'unit']);
      for (const r of rows) sheet.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const line = (no: string, element: string, product: string, quantity: number | string) =>
      [no, exporter.creditCode, exporter.nameZh, 'Tokyo Magnet KK', 'JP', new Date(Date.UTC(2025, 6, 1)), '2026-06-30', element, product, quantity, 'kg'];
    const bad = await upload(tokens.mofcom!, '/api/exchange/licences', XLSX_CONTENT_TYPE,
      await workbook([line('LIC-X-1', 'Tb', 'OX-TB', 100), line('LIC-X-1', 'Dy', 'OX-DY', 'lots'), line('LIC-X-2', 'Xx', 'OX-DY', 5)]), 'licences.xlsx');
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'records.0.items.1.quantity', rule: 'format', row: 3, column: 'quantity' }),
      expect.objectContaining({ field: 'records.1.items.0.element', rule: 'element', row: 4, column: 'element' }),
    ]));
    const junk = await upload(tokens.mofcom!, '/api/exchange/licences', XLSX_CONTENT_TYPE, Buffer.from('not a workbook at all, just text'), 'x.xlsx');
    expect(junk.status).toBe(422);
    expect(junk.json.errors).toEqual([expect.objectContaining({ field: 'file', rule: 'readable' })]);
    const good = await upload(tokens.mofcom!, '/api/exchange/licences', XLSX_CONTENT_TYPE,
      await workbook([line('LIC-X-1', 'Tb', 'OX-TB', 100), line('LIC-X-1', 'Dy', 'OX-DY', 250.5)]), 'licences.xlsx');
    expect(good.status).toBe(201);
    const stored = (await mofcom.get('/api/exchange/licences?number=LIC-X-1')).json.items[0];
    expect(stored).toMatchObject({ validFrom: '2025-07-01', licensedGrams: '350500' });
    expect(stored.items).toHaveLength(2);
  });

  it('decides from the dated rules whether an export needs a licence', async () => {
    const ask = async (q: string) => (await customs.get(`/api/exchange/export-control?${q}`)).json;
    expect((await ask('element=Dy&date=2025-04-03')).needsLicence).toBe(false);
    expect(await ask('element=Dy&date=2025-04-04')).toMatchObject({ needsLicence: true, announcements: ['MOFCOM/GAC 2025 No. 18'] });
    const ho = await ask('element=Ho&date=2026-05-01');
    expect(ho.needsLicence).toBe(false);
    expect(ho.rules).toEqual(expect.arrayContaining([expect.objectContaining({ announcement: 'MOFCOM 2025 No. 57', status: 'suspended' })]));
    expect((await ask('productCode=MAG-NDFEB-SINTERED-HRE&date=2025-05-01')).needsLicence).toBe(true);
    expect((await ask('productCode=OX-LA&date=2025-05-01')).needsLicence).toBe(false);
    expect((await customs.get('/api/exchange/export-control?element=Qq')).status).toBe(422);
  });
});

describe('export-control decision (pure)', () => {
  const rules = [{ announcement: 'A', elements: ['Ho'], effectiveFrom: '2025-12-01', suspendedFrom: '2025-11-07', suspendedTo: '2026-11-10' }];
  it('a suspended rule does not control; after the suspension the effective date decides', () => {
    expect(licenceDecision(['Ho'], rules, '2026-01-01').needsLicence).toBe(false);
    expect(licenceDecision(['Ho'], rules, '2026-11-11').needsLicence).toBe(true);
    expect(licenceDecision(['Ho'], rules, '2025-11-01').needsLicence).toBe(false);
  });
});
