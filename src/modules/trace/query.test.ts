import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { signIn, type Caller } from '../../../test/support/api.ts';

const doc = () => JSON.parse(readFileSync(new URL('../../../test/fixtures/epcis/reference-vectors/epcisDocWithVariousEventTypes.jsonld', import.meta.url), 'utf8')) as { epcisBody: { eventList: unknown[] } };

describeEachTier('EPCIS 2.0 query: filters, canonical matching, paging and jurisdiction', (tier) => {
  let fx: Fixture;
  let mine: Caller;
  const documentEvents = doc().epcisBody.eventList.length;
  let total = 0; // the document's events and the demo flows the mine recorded before it
  beforeAll(async () => {
    fx = await demoApp(tier);
    mine = await signIn(fx.app, 'xunwu-mine');
    const demoFlows = events(await mine.get('/epcis/events?perPage=100')).length;
    expect((await mine.post('/epcis/capture', doc())).json.storedCount).toBe(documentEvents);
    total = documentEvents + demoFlows;
  });
  afterAll(() => fx?.close());

  const events = (res: { json: { epcisBody: { queryResults: { resultsBody: { eventList: { type: string; bizStep?: string; eventID: string }[] } } } } }) => res.json.epcisBody.queryResults.resultsBody.eventList;

  it('answers an EPCIS query document and filters by event type and bizStep in either spelling', async () => {
    const all = await mine.get('/epcis/events?perPage=100');
    expect(all.json.type).toBe('EPCISQueryDocument');
    expect(events(all)).toHaveLength(total);
    const aggregations = events(await mine.get('/epcis/events?eventType=AggregationEvent&perPage=100'));
    expect(aggregations).toHaveLength(4);
    expect(aggregations.every((e) => e.type === 'AggregationEvent')).toBe(true);
    const bare = events(await mine.get('/epcis/events?EQ_bizStep=packing&perPage=100'));
    const uri = events(await mine.get(`/epcis/events?EQ_bizStep=${encodeURIComponent('https://ref.gs1.org/cbv/BizStep-packing')}&perPage=100`));
    const urn = events(await mine.get('/epcis/events?EQ_bizStep=urn:epcglobal:cbv:bizstep:packing&perPage=100'));
    expect(bare).toHaveLength(2);
    expect(uri.map((e) => e.eventID)).toEqual(bare.map((e) => e.eventID));
    expect(urn.map((e) => e.eventID)).toEqual(bare.map((e) => e.eventID));
  });

  it('matches an EPC given as a URN or as a Digital Link, and filters by event time', async () => {
    const byUrn = events(await mine.get('/epcis/events?MATCH_epc=urn:epc:id:sscc:5200001.0111111146'));
    const byLink = events(await mine.get(`/epcis/events?MATCH_epc=${encodeURIComponent('https://id.gs1.org/00/052000011111111461')}`));
    expect(byUrn.length).toBeGreaterThanOrEqual(2);
    expect(byLink.map((e) => e.eventID)).toEqual(byUrn.map((e) => e.eventID));
    const window = events(await mine.get(`/epcis/events?GE_eventTime=${encodeURIComponent('2019-10-21T10:00:00Z')}&LT_eventTime=${encodeURIComponent('2019-10-21T11:00:00Z')}&perPage=100`));
    expect(window.length).toBeGreaterThan(0);
    for (const e of window as unknown as { eventTime: string }[]) {
      const t = new Date(e.eventTime).getTime();
      expect(t >= Date.parse('2019-10-21T10:00:00Z') && t < Date.parse('2019-10-21T11:00:00Z')).toBe(true);
    }
    expect((await mine.get('/epcis/events?GE_eventTime=yesterday')).json.errors[0]).toMatchObject({ field: 'GE_eventTime', rule: 'date-time' });
  });

  it('pages with nextPageToken and a Link header, each event exactly once', async () => {
    const seen: string[] = [];
    let url: string | null = '/epcis/events?perPage=3';
    while (url) {
      const res = await mine.get(url);
      seen.push(...events(res).map((e) => e.eventID));
      const link = res.headers.link as string | undefined;
      url = link ? /<([^>]+)>/.exec(link)![1]! : null;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect((await mine.get('/epcis/events?nextPageToken=garbage')).status).toBe(422);
  });

  it('finds one event by eventID, and shows nothing outside the caller’s jurisdiction', async () => {
    const first = events(await mine.get('/epcis/events?perPage=1'))[0]!;
    const one = await mine.get(`/epcis/events/${encodeURIComponent(first.eventID)}`);
    expect(one.json.eventID).toBe(first.eventID);
    expect(events(await (await signIn(fx.app, 'xunwu')).get('/epcis/events?perPage=100'))).toHaveLength(total);
    const mineIds = new Set(events(await mine.get('/epcis/events?perPage=100')).map((e) => e.eventID));
    expect(events(await (await signIn(fx.app, 'longnan')).get('/epcis/events?perPage=100')).filter((e) => mineIds.has(e.eventID))).toHaveLength(0);
    expect(events(await (await signIn(fx.app, 'baotou-sep')).get('/epcis/events?perPage=100'))).toHaveLength(0);
    expect((await (await signIn(fx.app, 'baotou-sep')).get(`/epcis/events/${encodeURIComponent(first.eventID)}`)).status).toBe(404);
  });
});
