import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '../../domain/credit-code.ts';
import type { App } from '../../http/context.ts';
import { seedDemo } from '../demo/demo.seed.ts';
import { buildServer } from '../../server.ts';
import { AppError } from '../shared/errors.ts';
import { freshDatabase, describeEachTier, type Tier } from '../../../test/support/databases.ts';
import type { Fixture } from '../../../test/support/fixture.ts';
import { spreadsheetRoutes } from './spreadsheet.routes.ts';
import { COLUMNS, headerOf, type ColumnKey, type TemplateLanguage } from './spreadsheet.template.ts';
import { flowsTemplate } from './spreadsheet.template.ts';
import { flowsDocument, toRowError, XLSX_CONTENT_TYPE, type UploadContext } from './spreadsheet.upload.ts';

type Row = Partial<Record<ColumnKey, ExcelJS.CellValue>>;

/** A filled copy of a template: cells found by the template's own header row. */
async function filled(template: Buffer, lang: TemplateLanguage, rows: Row[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(template as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const columns = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => columns.set(String(cell.value), col));
  rows.forEach((row, i) => {
    for (const [key, value] of Object.entries(row)) sheet.getCell(i + 2, columns.get(headerOf(key as ColumnKey, lang))!).value = value as ExcelJS.CellValue;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

const pad = (x: number) => String(x).padStart(2, '0');
/** China wall-clock time `minutes` ago, as typed in the sheet. */
function chinaTime(minutesAgo: number): string {
  const d = new Date(Date.now() - minutesAgo * 60_000 + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
const iso = (typed: string) => `${typed.replace(' ', 'T')}:00.000+08:00`;

const validCode = (body17: string) => body17 + creditCodeCheckCharacter(body17);
let serial = 0;
const unique = () => `${Date.now().toString(36).toUpperCase()}${++serial}`;

/**
 * The demo app with the spreadsheet routes: registered here until trace.routes.ts registers them,
 * and left alone once it does.
 */
async function appWithUploads(tier: Tier): Promise<Fixture> {
  const database = await freshDatabase(tier);
  await seedDemo(database.db);
  const app = await buildServer({ database, serveWeb: false });
  await app.after();
  if (!app.hasRoute({ method: 'POST', url: '/api/trace/uploads' })) app.register(async (api) => spreadsheetRoutes(api as App, { db: database.db }));
  await app.ready();
  return { app, database, close: async () => { await app.close(); await database.close(); } };
}

async function cookieOf(app: App, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username, password: 'Ytterby-demo-2026' } });
  return `ytterby_session=${res.cookies.find((c) => c.name === 'ytterby_session')!.value}`;
}

describeEachTier('Flows spreadsheet: template, upload, row-and-column errors', (tier) => {
  let fx: Fixture;
  const cookies: Record<string, string> = {};
  const creditCodes: Record<string, string> = {};
  beforeAll(async () => {
    fx = await appWithUploads(tier);
    for (const user of ['baotou-sep', 'longnan-sep', 'xunwu-mine', 'admin', 'xunwu']) {
      cookies[user] = await cookieOf(fx.app, user);
      const me = await fx.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: cookies[user]! } });
      creditCodes[user] = JSON.parse(me.body).user.enterprise?.creditCode;
    }
  });
  afterAll(() => fx?.close());

  const template = async (user: string, lang: TemplateLanguage) => {
    const res = await fx.app.inject({ method: 'GET', url: `/api/trace/template.xlsx?lang=${lang}`, headers: { cookie: cookies[user]! } });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  const upload = async (user: string, body: Buffer) => {
    const res = await fx.app.inject({ method: 'POST', url: '/api/trace/uploads', headers: { cookie: cookies[user]!, 'content-type': XLSX_CONTENT_TYPE }, payload: body });
    return { status: res.statusCode, json: JSON.parse(res.body), headers: res.headers };
  };
  const eventsOf = async (user: string, lot: string) => {
    const res = await fx.app.inject({ method: 'GET', url: `/epcis/events?MATCH_epcClass=${encodeURIComponent(lot)}&perPage=100`, headers: { cookie: cookies[user]! } });
    expect(res.statusCode, res.body).toBe(200);
    return JSON.parse(res.body).epcisBody.queryResults.resultsBody.eventList as Record<string, any>[]; // any: event JSON read by assertions
  };

  it('serves the template in Chinese and English: the flows sheet with its headers and drop-down of kinds, and instructions with a worked example', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const res = await template('baotou-sep', lang);
      expect(res.headers['content-type']).toContain(XLSX_CONTENT_TYPE);
      expect(res.headers['content-disposition']).toContain('attachment');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(book.worksheets.map((s) => s.name)).toEqual(lang === 'en' ? ['flows', 'instructions'] : ['流向', '填写说明']);
      const flows = book.worksheets[0]!;
      expect((flows.getRow(1).values as unknown[]).slice(1)).toEqual(COLUMNS.map((c) => c[lang]));
      const validation = flows.getCell('A2').dataValidation;
      expect(validation.type).toBe('list');
      expect(validation.formulae[0]).toContain(lang === 'en' ? 'Transformation output' : '加工产出');
      const help = book.worksheets[1]!;
      const text: string[] = [];
      help.eachRow((row) => row.eachCell((cell) => text.push(String(cell.value))));
      expect(text.join('\n')).toContain(`https://id.ytterby.cn/l/${creditCodes['baotou-sep']}/`);
      expect(text).toContain(lang === 'en' ? 'Transformation input' : '加工投入');
      expect(text).toContain('CONC-MONAZITE');
    }
    // Officials may read the template; signing in is needed.
    expect((await fx.app.inject({ method: 'GET', url: '/api/trace/template.xlsx?lang=en', headers: { cookie: cookies.xunwu! } })).statusCode).toBe(200);
    expect((await fx.app.inject({ method: 'GET', url: '/api/trace/template.xlsx' })).statusCode).toBe(401);
    const openapi = JSON.parse((await fx.app.inject({ method: 'GET', url: '/openapi.json' })).body);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/trace/template.xlsx', '/api/trace/uploads']));
  });

  it('round-trips: the downloaded template, filled in, is captured as the events of docs/traceability.md', async () => {
    const lot = `https://id.gs1.org/01/06901234567892/10/M${unique()}`;
    const [t1, t2, t3] = [chinaTime(180), chinaTime(120), chinaTime(60)];
    const book = await filled((await template('baotou-sep', 'zh-CN')).rawPayload, 'zh-CN', [
      { kind: '进口', eventTime: t1, lotUri: lot, productCode: 'CONC-MONAZITE', quantityKg: 20000.5, country: 'AU', customsNo: '530120260000123456' },
      { kind: '发货', eventTime: t2, lotUri: lot, quantityKg: '5,000', counterparty: creditCodes['longnan-sep']!, invoiceNo: '44031234' },
      { kind: '出口', eventTime: t3, lotUri: lot, quantityKg: 1000.125, country: 'DE', customsNo: '530120261000654321' },
    ]);
    const res = await upload('baotou-sep', book);
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    expect(res.headers.location).toBe(`/epcis/capture/${res.json.captureID}`);
    expect(res.json).toMatchObject({ success: true, eventCount: 3, storedCount: 3, duplicateCount: 0 });

    const events = await eventsOf('baotou-sep', lot);
    expect(events).toHaveLength(3);
    const byStep = (action: string, step: string, extra: string) => events.find((e) => e.action === action && e.bizStep === step && extra in e)!;
    expect(byStep('ADD', 'commissioning', 'ytb:import')).toMatchObject({
      type: 'ObjectEvent', eventTime: iso(t1), eventTimeZoneOffset: '+08:00',
      quantityList: [{ epcClass: lot, quantity: 20000.5, uom: 'KGM' }],
      ilmd: { 'ytb:product': 'CONC-MONAZITE' }, 'ytb:import': { country: 'AU', customsDeclarationNo: '530120260000123456' },
    });
    expect(byStep('OBSERVE', 'shipping', 'destinationList')).toMatchObject({
      eventTime: iso(t2), quantityList: [{ epcClass: lot, quantity: 5000, uom: 'KGM' }],
      destinationList: [{ type: 'owning_party', destination: `https://id.ytterby.cn/party/${creditCodes['longnan-sep']}` }],
      bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:ytterby:vat:44031234' }],
    });
    expect(byStep('OBSERVE', 'shipping', 'ytb:export')).toMatchObject({
      eventTime: iso(t3), quantityList: [{ epcClass: lot, quantity: 1000.125, uom: 'KGM' }], 'ytb:export': { country: 'DE', customsDeclarationNo: '530120261000654321' },
    });

    // The same file again is the same events: counted as duplicates, stored once.
    const again = await upload('baotou-sep', book);
    expect(again.json).toMatchObject({ storedCount: 0, duplicateCount: 3 });
  });

  it('posts stock for each row: what a Ytterby lot keeps after import, shipment and export in one upload', async () => {
    const lotNumber = `K${unique()}`;
    const lot = `https://id.ytterby.cn/l/${creditCodes['baotou-sep']}/CONC-MONAZITE/10/${lotNumber}`;
    const res = await upload('baotou-sep', await filled((await template('baotou-sep', 'en')).rawPayload, 'en', [
      { kind: 'Import', eventTime: chinaTime(100), lotNumber, productCode: 'CONC-MONAZITE', quantityKg: 20000.5, country: 'AU', customsNo: '530120260000123456' },
      { kind: 'Shipment', eventTime: chinaTime(90), lotNumber, productCode: 'CONC-MONAZITE', quantityKg: 5000, counterparty: creditCodes['longnan-sep']!, invoiceNo: '44031234' },
      { kind: 'Export', eventTime: chinaTime(80), lotNumber, productCode: 'CONC-MONAZITE', quantityKg: 1000.125, country: 'DE', customsNo: '530120261000654321' },
    ]));
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    const lookup = await fx.app.inject({ method: 'GET', url: `/api/trace/lots/lookup?uri=${encodeURIComponent(lot)}`, headers: { cookie: cookies['baotou-sep']! } });
    expect(lookup.statusCode, lookup.body).toBe(200);
    const found = JSON.parse(lookup.body);
    expect(found).toMatchObject({ originKind: 'imported', originCountry: 'AU', producedKg: '20000.500' });
    expect(found.holdings).toEqual([expect.objectContaining({ kg: '14000.375' })]);
  });

  // A shipment (no ytb: marker) of a GS1-keyed lot created earlier in the same document is a flow too.
  it('posts stock for a GS1-keyed lot imported and shipped in the same upload', async () => {
    const lot = `https://id.gs1.org/01/06901234567892/10/J${unique()}`;
    const res = await upload('baotou-sep', await filled((await template('baotou-sep', 'en')).rawPayload, 'en', [
      { kind: 'Import', eventTime: chinaTime(100), lotUri: lot, productCode: 'CONC-MONAZITE', quantityKg: 100, country: 'AU', customsNo: '530120260000123456' },
      { kind: 'Shipment', eventTime: chinaTime(80), lotUri: lot, quantityKg: 40, counterparty: creditCodes['longnan-sep']!, invoiceNo: '44031234' },
    ]));
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    const lookup = await fx.app.inject({ method: 'GET', url: `/api/trace/lots/lookup?uri=${encodeURIComponent(lot)}`, headers: { cookie: cookies['baotou-sep']! } });
    expect(JSON.parse(lookup.body).holdings).toEqual([expect.objectContaining({ kg: '60.000' })]);
  });

  it('reads English headers, English kind words and the codes alike', async () => {
    const lotNumber = `L${unique()}`;
    const lot = `https://id.ytterby.cn/l/${creditCodes['baotou-sep']}/CONC-XENOTIME/10/${lotNumber}`;
    const time = chinaTime(30);
    const en = await filled((await template('baotou-sep', 'en')).rawPayload, 'en', [
      { kind: 'Import', eventTime: time, lotNumber, productCode: 'conc-xenotime', quantityKg: 300, country: 'my', customsNo: '530120260000999999' },
      { kind: 'shipment', eventTime: time, lotNumber, productCode: 'CONC-XENOTIME', quantityKg: 100, counterparty: creditCodes['longnan-sep']!.toLowerCase(), invoiceNo: '12345678' },
    ]);
    const res = await upload('baotou-sep', en);
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    expect(res.json.storedCount).toBe(2);
    const events = await eventsOf('baotou-sep', lot);
    expect(events.map((e) => e.quantityList[0].epcClass)).toEqual([lot, lot]);
    expect(events.find((e) => 'ytb:import' in e)).toMatchObject({ 'ytb:import': { country: 'MY' } });
    expect(events.find((e) => 'ilmd' in e)).toBeUndefined();

    // The receiver, on a Chinese template with English words in the kind column.
    const zh = await filled((await template('longnan-sep', 'zh-CN')).rawPayload, 'zh-CN', [
      { kind: 'Receipt', eventTime: chinaTime(25), lotUri: lot, quantityKg: 99.999, counterparty: creditCodes['baotou-sep']!, invoiceNo: '12345678' },
    ]);
    const received = await upload('longnan-sep', zh);
    expect(received.status, JSON.stringify(received.json)).toBe(202);
    expect((await eventsOf('longnan-sep', lot))[0]).toMatchObject({
      bizStep: 'receiving', quantityList: [{ quantity: 99.999 }], sourceList: [{ type: 'owning_party', source: `https://id.ytterby.cn/party/${creditCodes['baotou-sep']}` }],
    });
  });

  it('refuses a sheet with bad rows as a whole, naming every error by row and column, and stores nothing', async () => {
    const goodLot = `https://id.gs1.org/01/06901234567892/10/G${unique()}`;
    const badCode = creditCodes['longnan-sep']!.slice(0, 17) + (creditCodes['longnan-sep']!.endsWith('0') ? '1' : '0');
    const future = chinaTime(-60 * 24 * 3);
    const book = await filled((await template('baotou-sep', 'zh-CN')).rawPayload, 'zh-CN', [
      { kind: '进口', eventTime: chinaTime(60), lotUri: goodLot, productCode: 'CONC-MONAZITE', quantityKg: 100, country: 'AU', customsNo: '530120260000123456' },
      { kind: '发货', eventTime: chinaTime(50), lotUri: goodLot, quantityKg: 12.3456, counterparty: badCode },
      { kind: '卖出', eventTime: chinaTime(40), lotUri: goodLot, quantityKg: 1 },
      { kind: '开采', eventTime: '2026-02-30 10:00', lotNumber: 'A/1', productCode: 'CONC-ION-HIGH-Y', quantityKg: 1, elementSplit: 'Y:62;Xx:3' },
      { kind: '出口', eventTime: future, lotNumber: 'E1', productCode: 'NOPE', quantityKg: -5, country: 'CN', customsNo: '123', invoiceNo: '12345678' },
    ]);
    const res = await upload('baotou-sep', book);
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json.code).toBe('trace.upload_invalid');
    const errors = res.json.errors as { field: string; rule: string; row: number; column: string }[];
    const at = (row: number, column: ColumnKey) => errors.filter((e) => e.row === row && e.column === headerOf(column, 'zh-CN')).map((e) => e.rule);
    expect(errors.find((e) => e.row === 3 && e.column === '数量（千克）')).toMatchObject({ field: 'row 3 / 数量（千克）', rule: 'decimals' });
    expect(at(3, 'counterparty')).toEqual(['check_character']);
    expect(at(3, 'invoiceNo')).toEqual(['required']);
    expect(at(4, 'kind')).toEqual(['enum']);
    expect(at(5, 'eventTime')).toEqual(['date']);
    expect(at(5, 'lotNumber')).toEqual(['format']);
    expect(at(5, 'treoPercent')).toEqual(['required']);
    expect(at(5, 'location')).toEqual(['required']);
    expect(at(5, 'elementSplit')).toEqual(['element']);
    expect(at(6, 'eventTime')).toEqual(['future']);
    expect(at(6, 'productCode')).toEqual(['exists']);
    expect(at(6, 'quantityKg')).toEqual(['min']);
    expect(at(6, 'country')).toEqual(['not_allowed']);
    expect(at(6, 'customsNo')).toEqual(['format']);
    expect(at(6, 'invoiceNo')).toEqual(['not_allowed']);
    expect(errors.some((e) => e.row === 2)).toBe(false);
    // All or nothing: the good row was not recorded either.
    expect(await eventsOf('baotou-sep', goodLot)).toEqual([]);
  });

  it('checks across rows: a transformation needs inputs and outputs at one time; a lot is created once; identical rows are flagged', async () => {
    const time = chinaTime(20);
    const lot = `https://id.gs1.org/01/06901234567892/10/D${unique()}`;
    const book = await filled((await template('baotou-sep', 'en')).rawPayload, 'en', [
      { kind: 'Import', eventTime: time, lotUri: lot, productCode: 'CONC-MONAZITE', quantityKg: 10, country: 'AU', customsNo: '530120260000123456' },
      { kind: 'Import', eventTime: time, lotUri: lot, productCode: 'CONC-MONAZITE', quantityKg: 11, country: 'AU', customsNo: '530120260000123457' },
      { kind: 'Export', eventTime: time, lotUri: lot, quantityKg: 1, country: 'DE', customsNo: '530120261000654321' },
      { kind: 'Export', eventTime: time, lotUri: lot, quantityKg: 1, country: 'DE', customsNo: '530120261000654321' },
      { kind: 'Transformation input', eventTime: time, lotUri: lot, quantityKg: 5, transformationRef: 'T1' },
      { kind: 'transformation_input', eventTime: chinaTime(21), lotUri: lot, quantityKg: 4, transformationRef: 'T2' },
      { kind: 'transformation_output', eventTime: chinaTime(22), lotNumber: `N${unique()}`, productCode: 'OX-ND', quantityKg: 2, transformationRef: 'T2' },
    ]);
    const res = await upload('baotou-sep', book);
    expect(res.status).toBe(422);
    const errors = res.json.errors as { rule: string; row: number; column: string; message: string }[];
    expect(errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ row: 3, column: 'Lot URI', rule: 'duplicate' }),
      expect.objectContaining({ row: 5, column: 'Kind', rule: 'duplicate' }),
      expect.objectContaining({ row: 6, column: 'Transformation ref', rule: 'required' }),
      expect.objectContaining({ row: 8, column: 'Date and time (China time)', rule: 'mismatch' }),
    ]));
    expect(errors.find((e) => e.row === 6)!.message).toContain('no output');
    expect(await eventsOf('baotou-sep', lot)).toEqual([]);
  });

  it('maps a problem found by the capture on event i back to the row and column that made it', async () => {
    const lot = `https://id.gs1.org/01/06901234567892/10/C${unique()}`;
    const book = await filled((await template('baotou-sep', 'zh-CN')).rawPayload, 'zh-CN', [
      { kind: '进口', eventTime: chinaTime(15), lotUri: lot, productCode: 'CONC-MONAZITE', quantityKg: 10, country: 'AU', customsNo: '530120260000123456' },
      // The EPCIS schema wants a URI here; the sheet passes it through for the capture to judge.
      { kind: '出口', eventTime: chinaTime(10), lotUri: lot, quantityKg: 1, country: 'DE', customsNo: '530120261000654321', location: 'urn:x:{port}' },
    ]);
    const res = await upload('baotou-sep', book);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('epcis.schema');
    expect(res.json.errors).toContainEqual({ field: 'row 3 / 地点（URI 或场地代码）', rule: 'format', message: 'must match format "uri"', row: 3, column: '地点（URI 或场地代码）' });
    expect(await eventsOf('baotou-sep', lot)).toEqual([]);
  });

  it('records mining output at a registered mine and a separation as one TransformationEvent', async () => {
    const ore = `O${unique()}`;
    const mined = await upload('xunwu-mine', await filled((await template('xunwu-mine', 'zh-CN')).rawPayload, 'zh-CN', [
      { kind: '开采', eventTime: chinaTime(90), lotNumber: ore, productCode: 'CONC-ION-HIGH-Y', quantityKg: 1500, treoPercent: 92.5, elementSplit: 'Y:62;Dy:8', location: 'MINE-1' },
    ]));
    expect(mined.status, JSON.stringify(mined.json)).toBe(202);
    const oreLot = `https://id.ytterby.cn/l/${creditCodes['xunwu-mine']}/CONC-ION-HIGH-Y/10/${ore}`;
    expect((await eventsOf('xunwu-mine', oreLot))[0]).toMatchObject({
      action: 'ADD', bizStep: 'commissioning', bizLocation: { id: `https://id.ytterby.cn/loc/${creditCodes['xunwu-mine']}/MINE-1` },
      ilmd: { 'ytb:assay': { treoPercent: '92.50', elements: { Y: '62.00', Dy: '8.00' } } },
    });

    const feed = `https://id.gs1.org/01/06901234567892/10/F${unique()}`;
    const [nd, pr] = [`ND${unique()}`, `PR${unique()}`];
    const separated = await upload('baotou-sep', await filled((await template('baotou-sep', 'en')).rawPayload, 'en', [
      { kind: 'Import', eventTime: chinaTime(80), lotUri: feed, productCode: 'CONC-MONAZITE', quantityKg: 2000, country: 'AU', customsNo: '530120260000123456' },
      { kind: 'Transformation input', eventTime: chinaTime(70), lotUri: feed, quantityKg: 1000, transformationRef: 'S-1' },
      { kind: 'Transformation output', eventTime: chinaTime(70), lotNumber: nd, productCode: 'OX-ND', quantityKg: 200, transformationRef: 'S-1' },
      { kind: 'Transformation output', eventTime: chinaTime(70), lotNumber: pr, productCode: 'OX-PR', quantityKg: 50.5, transformationRef: 'S-1' },
    ]));
    expect(separated.status, JSON.stringify(separated.json)).toBe(202);
    expect(separated.json).toMatchObject({ eventCount: 2, storedCount: 2 });
    const transformation = (await eventsOf('baotou-sep', feed)).find((e) => e.type === 'TransformationEvent')!;
    expect(transformation).toMatchObject({
      inputQuantityList: [{ epcClass: feed, quantity: 1000, uom: 'KGM' }],
      outputQuantityList: [
        { epcClass: `https://id.ytterby.cn/l/${creditCodes['baotou-sep']}/OX-ND/10/${nd}`, quantity: 200, uom: 'KGM' },
        { epcClass: `https://id.ytterby.cn/l/${creditCodes['baotou-sep']}/OX-PR/10/${pr}`, quantity: 50.5, uom: 'KGM' },
      ],
    });
  });

  it('points a capture rule’s refusal at the row and column that broke it: shipping more than is held, mining at an unregistered site', async () => {
    const lotNumber = `H${unique()}`;
    const lot = `https://id.ytterby.cn/l/${creditCodes['baotou-sep']}/CONC-MONAZITE/10/${lotNumber}`;
    const book = await filled((await template('baotou-sep', 'zh-CN')).rawPayload, 'zh-CN', [
      { kind: '进口', eventTime: chinaTime(50), lotNumber, productCode: 'CONC-MONAZITE', quantityKg: 100, country: 'AU', customsNo: '530120260000123456' },
      { kind: '发货', eventTime: chinaTime(40), lotUri: lot, quantityKg: 60, counterparty: creditCodes['longnan-sep']!, invoiceNo: '44031234' },
      { kind: '发货', eventTime: chinaTime(30), lotUri: lot, quantityKg: 50, counterparty: creditCodes['longnan-sep']!, invoiceNo: '44031235' },
    ]);
    const res = await upload('baotou-sep', book);
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([expect.objectContaining({ field: 'row 4 / 数量（千克）', rule: 'exceeds_remaining', row: 4, column: '数量（千克）' })]);
    expect(res.json.errors[0].message).toContain('40');
    expect(await eventsOf('baotou-sep', lot)).toEqual([]);

    const mined = await upload('xunwu-mine', await filled((await template('xunwu-mine', 'en')).rawPayload, 'en', [
      { kind: 'Mining', eventTime: chinaTime(20), lotNumber: `U${unique()}`, productCode: 'CONC-ION-HIGH-Y', quantityKg: 10, treoPercent: 90, location: 'MINE-9' },
    ]));
    expect(mined.status).toBe(422);
    expect(mined.json.errors).toEqual([expect.objectContaining({ row: 2, column: 'Location (URI or site code)', rule: 'mine_unregistered' })]);
  });

  it('is for enterprises with the right to capture; other bodies are refused', async () => {
    const book = await filled((await template('admin', 'en')).rawPayload, 'en', [
      { kind: 'Export', eventTime: chinaTime(5), lotUri: 'https://id.gs1.org/01/06901234567892/10/X1', quantityKg: 1, country: 'DE', customsNo: '530120261000654321' },
    ]);
    expect((await upload('admin', book)).status).toBe(403);
    expect((await upload('xunwu', book)).status).toBe(403);
    const notXlsx = await upload('baotou-sep', Buffer.from('not a workbook'));
    expect(notXlsx.status).toBe(400);
    expect(notXlsx.json.errors[0]).toMatchObject({ field: 'file', rule: 'xlsx' });
    const json = await fx.app.inject({ method: 'POST', url: '/api/trace/uploads', headers: { cookie: cookies['baotou-sep']! }, payload: { rows: [] } });
    expect(json.statusCode).toBe(400);
  });
});

describe('Flows spreadsheet → EPCIS document (no database)', () => {
  const own = validCode('91360734MA35N8K2R');
  const ctx: UploadContext = {
    creditCode: own, now: new Date(),
    productCodes: new Set(['CONC-ION-HIGH-Y', 'OX-Y', 'OX-DY', 'MET-PRND']),
    elementSymbols: new Set(['Y', 'Dy', 'Tb', 'La', 'Ce', 'Pr', 'Nd']),
  };
  const minted = (product: string, lot: string) => `https://id.ytterby.cn/l/${own}/${product}/10/${lot}`;

  it('makes mining an ADD/commissioning event with its assay, and rows of one ref one TransformationEvent', async () => {
    const book = await filled(await flowsTemplate({ lang: 'en' }), 'en', [
      { kind: 'Mining', eventTime: new Date(Date.UTC(2026, 0, 5, 8, 30)), lotNumber: 'M-1', productCode: 'CONC-ION-HIGH-Y', quantityKg: 12000, treoPercent: 92, elementSplit: 'Y:62; dy:8.5', location: 'MINE-1' },
      { kind: 'Transformation input', eventTime: '2026-01-10 09:00', lotNumber: 'M-1', productCode: 'CONC-ION-HIGH-Y', quantityKg: 12000, transformationRef: 'T-1' },
      { kind: 'Shipment', eventTime: '2026-01-09', lotUri: minted('CONC-ION-HIGH-Y', 'M-0'), quantityKg: 1, counterparty: validCode('91150207MA0N8K2R4'), invoiceNo: '44031234' },
      { kind: 'Transformation output', eventTime: '2026-01-10 09:00', lotNumber: 'Y-1', productCode: 'OX-Y', quantityKg: 6500, transformationRef: 'T-1' },
      { kind: 'Transformation output', eventTime: '2026-01-10 09:00', lotUri: 'https://id.gs1.org/01/06901234567892/10/DY1', productCode: 'OX-DY', quantityKg: 850.5, transformationRef: 'T-1' },
    ]);
    const { document, sources } = await flowsDocument(book, ctx);
    expect(document['@context']).toEqual(['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { ytb: 'https://ns.ytterby.cn/epcis/' }]);
    const events = (document.epcisBody as { eventList: Record<string, unknown>[] }).eventList;
    expect(events).toEqual([
      {
        type: 'ObjectEvent', eventTime: '2026-01-05T08:30:00.000+08:00', eventTimeZoneOffset: '+08:00', action: 'ADD', bizStep: 'commissioning',
        quantityList: [{ epcClass: minted('CONC-ION-HIGH-Y', 'M-1'), quantity: 12000, uom: 'KGM' }],
        bizLocation: { id: `https://id.ytterby.cn/loc/${own}/MINE-1` },
        ilmd: { 'ytb:assay': { treoPercent: '92.00', elements: { Y: '62.00', Dy: '8.50' } } },
      },
      {
        type: 'TransformationEvent', eventTime: '2026-01-10T09:00:00.000+08:00', eventTimeZoneOffset: '+08:00',
        inputQuantityList: [{ epcClass: minted('CONC-ION-HIGH-Y', 'M-1'), quantity: 12000, uom: 'KGM' }],
        outputQuantityList: [
          { epcClass: minted('OX-Y', 'Y-1'), quantity: 6500, uom: 'KGM' },
          { epcClass: 'https://id.gs1.org/01/06901234567892/10/DY1', quantity: 850.5, uom: 'KGM' },
        ],
        ilmd: { 'ytb:product': 'OX-DY' },
      },
      {
        type: 'ObjectEvent', eventTime: '2026-01-09T00:00:00.000+08:00', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', bizStep: 'shipping',
        quantityList: [{ epcClass: minted('CONC-ION-HIGH-Y', 'M-0'), quantity: 1, uom: 'KGM' }],
        bizTransactionList: [{ type: 'inv', bizTransaction: 'urn:ytterby:vat:44031234' }],
        destinationList: [{ type: 'owning_party', destination: `https://id.ytterby.cn/party/${validCode('91150207MA0N8K2R4')}` }],
      },
    ]);
    expect(sources.map((s) => s.rows.map((r) => r.n))).toEqual([[2], [3, 5, 6], [4]]);

    // A problem the capture finds on the transformation's second output lands on row 6; one on the event as a whole, on each of its rows.
    const mapped = toRowError(new AppError('validation', 'trace.reo', 'x', [
      { field: 'epcisBody.eventList.1.outputQuantityList.1.quantity', rule: 'reo_exceeds_inputs', message: 'm1' },
      { field: 'epcisBody.eventList.1', rule: 'no_designation', message: 'm2' },
      { field: 'eventList.0.bizLocation', rule: 'not_a_mine', message: 'm3' },
      { field: 'document', rule: 'other', message: 'm4' },
    ]), { sources, header: (k) => headerOf(k, 'en') });
    expect(mapped.code).toBe('trace.reo');
    expect(mapped.problems).toEqual([
      { field: 'row 6 / Quantity (kg)', rule: 'reo_exceeds_inputs', message: 'm1', row: 6, column: 'Quantity (kg)' },
      { field: 'row 3 / Transformation ref', rule: 'no_designation', message: 'm2', row: 3, column: 'Transformation ref' },
      { field: 'row 5 / Transformation ref', rule: 'no_designation', message: 'm2', row: 5, column: 'Transformation ref' },
      { field: 'row 6 / Transformation ref', rule: 'no_designation', message: 'm2', row: 6, column: 'Transformation ref' },
      { field: 'row 2 / Location (URI or site code)', rule: 'not_a_mine', message: 'm3', row: 2, column: 'Location (URI or site code)' },
      { field: 'document', rule: 'other', message: 'm4' },
    ]);
  });

  it('refuses what is not a workbook or has no flows header', async () => {
    await expect(flowsDocument(Buffer.from('PK nonsense'), ctx)).rejects.toMatchObject({ kind: 'bad_request', code: 'trace.upload_unreadable' });
    const book = new ExcelJS.Workbook();
    book.addWorksheet('other').addRow(['a', 'b']);
    await expect(flowsDocument(Buffer.from(await book.xlsx.writeBuffer()), ctx)).rejects.toMatchObject({ code: 'trace.upload_unreadable' });
    const headerless = new ExcelJS.Workbook();
    headerless.addWorksheet('flows').addRow(['Kind', 'Lot URI']);
    await expect(flowsDocument(Buffer.from(await headerless.xlsx.writeBuffer()), ctx)).rejects.toMatchObject({
      code: 'trace.upload_invalid',
      problems: expect.arrayContaining([expect.objectContaining({ row: 1, column: 'Quantity (kg)', rule: 'required' })]),
    });
  });
});
