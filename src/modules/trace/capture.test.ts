import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { signIn, type Caller } from '../../../test/support/api.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/epcis/reference-vectors/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const expectedHashes = (name: string) => readFileSync(new URL(`../../../test/fixtures/epcis/reference-vectors/${name}`, import.meta.url), 'utf8').trim().split('\n').map((l) => l.trim());

describeEachTier('EPCIS 2.0 capture: schema, capture jobs, event hashes, idempotency, jurisdiction', (tier) => {
  let fx: Fixture;
  let mine: Caller;
  beforeAll(async () => {
    fx = await demoApp(tier);
    mine = await signIn(fx.app, 'xunwu-mine');
  });
  afterAll(() => fx?.close());

  it('captures a document as one unit and answers 202 with a capture job to poll', async () => {
    const doc = fixture('epcisDocWithShippingAndTransportingEvent.jsonld');
    const res = await mine.post('/epcis/capture', doc);
    expect(res.status, res.body).toBe(202);
    expect(res.headers.location).toBe(`/epcis/capture/${res.json.captureID}`);
    const n = (doc.epcisBody as { eventList: unknown[] }).eventList.length;
    expect(res.json).toMatchObject({ running: false, success: true, eventCount: n, storedCount: n, duplicateCount: 0 });
    const job = await mine.get(`/epcis/capture/${res.json.captureID}`);
    expect(job.json.storedCount).toBe(n);
  });

  it('stores each event under its CBV 2.0 event hash, and re-sending the document stores nothing twice', async () => {
    const doc = fixture('epcisDocWithSingleEvent.jsonld');
    const first = await mine.post('/epcis/capture', doc);
    expect(first.json.storedCount).toBe(1);
    const again = await mine.post('/epcis/capture', doc);
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ storedCount: 0, duplicateCount: 1 });
    const { queryRows } = await import('../../db/database.ts');
    const { sql } = await import('drizzle-orm');
    const rows = await queryRows<{ event_hash: string }>(fx.database.db, sql`select event_hash from epcis_events where event_hash = ${expectedHashes('epcisDocWithSingleEvent.hashes')[0]!}`);
    expect(rows).toHaveLength(1);
  });

  it('refuses a document that breaks the GS1 schema with the event and field named, storing nothing', async () => {
    const doc = fixture('epcisDocWithSingleEvent.jsonld');
    const event = (doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList[0]!;
    event.bizStep = 'not a step';
    delete event.eventTime;
    event.eventID = 'urn:uuid:0d6d1a34-0000-4000-8000-000000000001';
    const res = await mine.post('/epcis/capture', doc);
    expect(res.status).toBe(422);
    const fields = res.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['epcisBody.eventList.0.eventTime', 'epcisBody.eventList.0.bizStep']));
    const jobs = (await mine.get('/epcis/capture')).json as { eventCount: number }[];
    expect(jobs.every((j) => j.eventCount > 0)).toBe(true);
  });

  it('only an enterprise captures its own events; officials see jobs within their jurisdiction only', async () => {
    const admin = await signIn(fx.app, 'admin');
    expect((await admin.post('/epcis/capture', fixture('epcisDocWithSingleEvent.jsonld'))).status).toBe(403);
    expect((await (await signIn(fx.app, 'xunwu')).post('/epcis/capture', fixture('epcisDocWithSingleEvent.jsonld'))).status).toBe(403);
    const job = (await mine.get('/epcis/capture')).json[0];
    expect((await (await signIn(fx.app, 'xunwu')).get(`/epcis/capture/${job.captureID}`)).status).toBe(200);
    expect((await (await signIn(fx.app, 'longnan')).get(`/epcis/capture/${job.captureID}`)).status).toBe(404);
    expect((await (await signIn(fx.app, 'baotou-sep')).get(`/epcis/capture/${job.captureID}`)).status).toBe(404);
    // Another enterprise recording the same event is its own record.
    const other = await (await signIn(fx.app, 'baotou-sep')).post('/epcis/capture', fixture('epcisDocWithSingleEvent.jsonld'));
    expect(other.json.storedCount).toBe(1);
  });
});

describeEachTier('EPCIS capture: XML binding and tamper-evident event chains', (tier) => {
  let fx: Fixture;
  let mine: Caller;
  beforeAll(async () => {
    fx = await demoApp(tier);
    mine = await signIn(fx.app, 'xunwu-mine');
  });
  afterAll(() => fx?.close());

  const xml = (name: string) => readFileSync(new URL(`../../../test/fixtures/epcis/reference-vectors/${name}`, import.meta.url), 'utf8');

  it('captures the XML binding under the same event hashes as its JSON-LD twin, so either is a duplicate of the other', async () => {
    const res = await fx.app.inject({ method: 'POST', url: '/epcis/capture', headers: { 'content-type': 'application/xml', cookie: await cookieOf(fx, 'xunwu-mine') }, payload: xml('epcisDocWithShippingAndTransportingEvent.xml') });
    expect(res.statusCode, res.body).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ storedCount: 2, duplicateCount: 0 });
    const twin = await mine.post('/epcis/capture', fixture('epcisDocWithShippingAndTransportingEvent.jsonld'));
    expect(twin.json).toMatchObject({ storedCount: 0, duplicateCount: 2 });
    const bad = await fx.app.inject({ method: 'POST', url: '/epcis/capture', headers: { 'content-type': 'application/xml', cookie: await cookieOf(fx, 'xunwu-mine') }, payload: '<epcis:EPCISDocument><EPCISBody><EventList><ObjectEvent></ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>' });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
  });

  it('chains each enterprise’s events; a verify finds an event changed behind the application’s back', async () => {
    await mine.post('/epcis/capture', fixture('epcisDocWithSingleEvent.jsonld'));
    const { verifyEventChains } = await import('./event-chain.ts');
    const ok = await verifyEventChains(fx.database.db);
    expect(ok.breaks).toEqual([]);
    expect(ok.checked).toBeGreaterThanOrEqual(3);
    const { sql } = await import('drizzle-orm');
    // Change one stored event of one enterprise with plain SQL, as an intruder would.
    await fx.database.db.execute(sql`update epcis_events set event = jsonb_set(event, '{action}', '"DELETE"')
      where chain_seq = 2 and enterprise_id = (select enterprise_id from epcis_events where chain_seq = 2 order by record_time limit 1)`);
    const broken = await verifyEventChains(fx.database.db);
    expect(broken.breaks).toHaveLength(1);
    expect(broken.breaks[0]).toMatchObject({ seq: '2', reason: 'content_changed' });
  });
});

async function cookieOf(fx: Fixture, username: string): Promise<string> {
  const res = await fx.app.inject({ method: 'POST', url: '/api/session', payload: { username, password: 'Ytterby-demo-2026' } });
  return `ytterby_session=${res.cookies.find((c) => c.name === 'ytterby_session')!.value}`;
}
