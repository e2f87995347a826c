/**
 * Every GS1 EPCIS 2.0 example document (test/fixtures/epcis/examples, copied from gs1/EPCIS) sent to
 * POST /epcis/capture, in one fixed order on one fresh demo app per tier, with the outcome the
 * standard and Ytterby's rules give for it. Several examples repeat events of others (same event
 * hash or eventID), so the expected counts depend on the order below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { signIn, type Caller, type Response } from '../../../test/support/api.ts';
import { documentEvents, type EpcisEvent, type EventHashContext } from '../../domain/epcis/epcis-document.ts';
import { eventHashId } from '../../domain/epcis/event-hash.ts';
import { xmlDocumentEvents } from '../../domain/epcis/xml-events.ts';

const examples = new URL('../../../test/fixtures/epcis/examples/', import.meta.url);
const text = (file: string) => readFileSync(new URL(file, examples), 'utf8');

type Outcome =
  /** 202; `duplicates`: indices of events already recorded; `declarations`: indices of error declarations and the eventID of the event each declares in error. */
  | { accepted: { events: number; duplicates?: number[]; declarations?: Record<number, string> } }
  | { refused: { code: string; rule: string; field?: string; message?: RegExp } };

interface Case { file: string; why: string; outcome: Outcome }

const ok = (events: number, extra: { duplicates?: number[]; declarations?: Record<number, string> } = {}): Outcome => ({ accepted: { events, ...extra } });
const refused = (code: string, rule: string, field?: string, message?: RegExp): Outcome => ({ refused: { code, rule, ...(field ? { field } : {}), ...(message ? { message } : {}) } });

const ASSOC_D = 'ni:///sha-256;8a2d6f46deae4e62f517b2d2f84d2251b0c2db43b791663575e9ff358560fd85?ver=CBV2.0';
const OBJECT_961_FIRST = 'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0';
const notAnEpcisDocument = (name: string) => refused('epcis.document_type', 'document_type', 'type', new RegExp(`${name} is a single event`));

/** In capture order. Each `why` says what in the document decides the outcome. */
const CASES: Case[] = [
  { file: 'json/AssociationEvent-a.jsonld', why: 'one new AssociationEvent', outcome: ok(1) },
  { file: 'json/AssociationEvent-b.jsonld', why: 'one new AssociationEvent', outcome: ok(1) },
  { file: 'json/AssociationEvent-d.jsonld', why: 'one new AssociationEvent', outcome: ok(1) },
  { file: 'json/AssociationEvent-e.jsonld', why: 'one new AssociationEvent', outcome: ok(1) },
  { file: 'json/AssociationEvent-g.jsonld', why: 'repeats the event of -d (same content) with an errorDeclaration: declares -d in error', outcome: ok(1, { declarations: { 0: ASSOC_D } }) },
  { file: 'json/AssociationEvent-h.jsonld', why: 'one new AssociationEvent with a urn:uuid eventID', outcome: ok(1) },
  { file: 'json/EPCISQueryDocument.jsonld', why: 'an EPCISQueryDocument is a query answer, not a capture document', outcome: refused('epcis.document_type', 'document_type', 'type', /EPCISQueryDocument is the answer to a query/) },
  { file: 'json/Example-Type-sourceOrDestination,measurement,bizTransaction.jsonld', why: 'one new AssociationEvent', outcome: ok(1) },
  { file: 'json/Example_9.6.1-ObjectEvent-with-error-declaration.jsonld', why: 'declares in error the first event of Example 9.6.1, which nobody has captured yet; all or nothing',
    outcome: refused('trace.error_declaration_unknown_event', 'error_declaration_unknown_event', 'epcisBody.eventList.0.errorDeclaration') },
  { file: 'json/Example_9.6.1-ObjectEvent-with-pseudo-SBDH-headers.jsonld', why: 'Example 9.6.1 with SBDH-like header fields: two new ObjectEvents', outcome: ok(2) },
  { file: 'json/Example_9.6.1-ObjectEvent.jsonld', why: 'the same two events (same eventIDs and content) as the SBDH variant', outcome: ok(2, { duplicates: [0, 1] }) },
  { file: 'json/Example_9.6.1-ObjectEventWithDigitalLink.jsonld', why: 'Digital Link EPCs of another GTIN (70614141123451), other eventIDs: two new events', outcome: ok(2) },
  { file: 'json/Example_9.6.2-ObjectEvent.jsonld', why: 'one new ObjectEvent', outcome: ok(1) },
  { file: 'json/Example_9.6.3-AggregationEvent.jsonld', why: 'one new AggregationEvent', outcome: ok(1) },
  { file: 'json/Example_9.6.4-TransformationEvent.jsonld', why: 'one new TransformationEvent', outcome: ok(1) },
  ...['1', '10', '11', '13', '14', '16', '1b', '2', '3', '5', '6', '7', '9'].map((n): Case => ({ file: `json/SensorDataExample${n}.jsonld`, why: 'one new event with sensor data', outcome: ok(1) })),
  ...['association', 'object', 'transaction'].map((t): Case => ({
    file: `json/${t}_event_all_possible_fields.jsonld`, why: 'its only event carries an errorDeclaration, but the event it declares in error was never captured',
    outcome: refused('trace.error_declaration_unknown_event', 'error_declaration_unknown_event', 'epcisBody.eventList.0.errorDeclaration'),
  })),
  { file: 'json-single-event/AssociationEvent.json', why: 'a bare event (the body of POST /events), not an EPCISDocument', outcome: notAnEpcisDocument('AssociationEvent') },
  { file: 'json-single-event/Extended-Event.json', why: 'a bare event of a user-defined type, not an EPCISDocument', outcome: notAnEpcisDocument('example:CustomEvent') },
  { file: 'json-single-event/ObjectEvent.json', why: 'a bare event, not an EPCISDocument', outcome: notAnEpcisDocument('ObjectEvent') },
  { file: 'json-single-event/TransformationEvent.json', why: 'a bare event, not an EPCISDocument', outcome: notAnEpcisDocument('TransformationEvent') },
  { file: 'xml/AssociationEventExamples.xml', why: 'examples a–h: a, b, d, e and h are the JSON documents above; c and f are new; g declares d in error again, which is already recorded',
    outcome: ok(8, { duplicates: [0, 1, 3, 4, 6, 7] }) },
  { file: 'xml/CBV-11.1-2020-06-16a.xml', why: 'one new ObjectEvent (CBV example)', outcome: ok(1) },
  { file: 'xml/CBV-11.2-2020-06-16a.xml', why: 'one new ObjectEvent (CBV example)', outcome: ok(1) },
  { file: 'xml/CBV-11.4-2020-06-16a.xml', why: 'an EPCISMasterDataDocument, which EPCglobal-epcis-2_0.xsd does not declare', outcome: refused('epcis.xsd', 'xsd', 'document line 8', /EPCISMasterDataDocument/) },
  ...['Running', 'Success', 'WithErrorFile'].map((s): Case => ({
    file: `xml/Example-CaptureJob${s}.xml`, why: 'an EPCISCaptureJob (valid against the XSD) is the status of a capture, not a document to capture',
    outcome: refused('epcis.document_type', 'document_type', 'document', /EPCISCaptureJob is a capture job status/),
  })),
  { file: 'xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml', why: 'Example 9.6.1 in XML: the first event is the JSON one; the second has example:myField in namespace http://ns.example.com/epcis (no trailing slash), so it is another event',
    outcome: ok(2, { duplicates: [0] }) },
  { file: 'xml/Mimasu-Example-masterData.xml', why: 'an EPCISMasterDataDocument', outcome: refused('epcis.xsd', 'xsd', 'document line 6', /EPCISMasterDataDocument/) },
  { file: 'xml/Mimasu-Example1.xml', why: 'the same two events as Example_9.6.1-ObjectEvent-2020_06_18a.xml', outcome: ok(2, { duplicates: [0, 1] }) },
  { file: 'xml/Mimasu-Example2.xml', why: 'one new ObjectEvent', outcome: ok(1) },
  { file: 'xml/Mimasu-Example3.xml', why: 'one new AggregationEvent', outcome: ok(1) },
  { file: 'xml/SensorDataExamples.xml', why: 'its 12th event (a TransformationEvent) declares in error an event never captured; all or nothing',
    outcome: refused('trace.error_declaration_unknown_event', 'error_declaration_unknown_event', 'epcisBody.eventList.11.errorDeclaration') },
  { file: 'xml/WithExtension-AssociationEvent.xml', why: 'one new AssociationEvent with user extensions', outcome: ok(1) },
  { file: 'xml/WithExtension-ObjectEvent.xml', why: 'two new ObjectEvents with user extensions', outcome: ok(2) },
  { file: 'xml/WithExtension-TransactionEvent.xml', why: 'one new TransactionEvent with user extensions', outcome: ok(1) },
  { file: 'xml/association_event_all_possible_fields.xml', why: 'one new AssociationEvent (no errorDeclaration in the XML version)', outcome: ok(1) },
  { file: 'xml/masterdata_all_possible_fields.xml', why: 'a valid EPCISDocument whose header carries master data and whose EventList is empty: Ytterby records events, so it refuses a document without any',
    outcome: refused('epcis.empty', 'min_items', 'epcisBody.eventList') },
  { file: 'xml/object_event_all_possible_fields.xml', why: 'one new ObjectEvent', outcome: ok(1) },
  { file: 'xml/transaction_event_all_possible_fields.xml', why: 'one new TransactionEvent', outcome: ok(1) },
  { file: 'json/Example_9.6.1-ObjectEvent-with-error-declaration.jsonld', why: 'again, now that the first event of Example 9.6.1 is recorded: the declaration is accepted; the second event is a duplicate',
    outcome: ok(2, { declarations: { 0: OBJECT_961_FIRST }, duplicates: [1] }) },
];

/** The events of a document and the context to hash them with, read as the capture reads them. */
function eventsOf(file: string): { events: EpcisEvent[]; context: EventHashContext } {
  return file.endsWith('.xml') ? xmlDocumentEvents(text(file)) : documentEvents(JSON.parse(text(file)));
}

describeEachTier('GS1 EPCIS 2.0 example documents at POST /epcis/capture', (tier) => {
  let fx: Fixture;
  let mine: Caller;
  let cookie: string;
  beforeAll(async () => {
    fx = await demoApp(tier);
    mine = await signIn(fx.app, 'xunwu-mine');
    const res = await fx.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'xunwu-mine', password: 'Ytterby-demo-2026' } });
    cookie = `ytterby_session=${res.cookies.find((c) => c.name === 'ytterby_session')!.value}`;
  });
  afterAll(() => fx?.close());

  async function capture(file: string): Promise<Response> {
    if (!file.endsWith('.xml')) return mine.post('/epcis/capture', JSON.parse(text(file)));
    const res = await fx.app.inject({ method: 'POST', url: '/epcis/capture', headers: { 'content-type': 'application/xml', cookie }, payload: text(file) });
    let json: unknown = null;
    try { json = JSON.parse(res.body); } catch { json = null; }
    return { status: res.statusCode, headers: res.headers, json, body: res.body };
  }

  async function findEvents(eventId: string): Promise<Record<string, unknown>[]> {
    const res = await mine.get(`/epcis/events?EQ_eventID=${encodeURIComponent(eventId)}`);
    expect(res.status, res.body).toBe(200);
    return res.json.epcisBody.queryResults.resultsBody.eventList;
  }

  it('covers every example document copied into the repository', () => {
    const files = ['json', 'json-single-event', 'xml'].flatMap((d) => readdirSync(new URL(`${d}/`, examples)).map((f: string) => `${d}/${f}`));
    expect(new Set(CASES.map((c) => c.file))).toEqual(new Set(files));
  });

  it('refuses an XML document that breaks the XSD with libxml2\'s message and the line, before reading any event', async () => {
    const original = text('xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml');
    const line = original.split('\n').findIndex((l) => l.includes('<action>OBSERVE</action>')) + 1;
    const broken = original.replace('<action>OBSERVE</action>', '<action>LOOK</action>');
    const res = await fx.app.inject({ method: 'POST', url: '/epcis/capture', headers: { 'content-type': 'application/xml', cookie }, payload: broken });
    expect(res.statusCode, res.body).toBe(422);
    const body = JSON.parse(res.body);
    expect(body.code).toBe('epcis.xsd');
    expect(body.errors[0]).toMatchObject({ field: `document line ${line}`, rule: 'xsd', message: expect.stringMatching(/'action'.*'LOOK'/) });
  });

  it.each(CASES.map((c, i) => ({ ...c, step: i + 1 })))('[$step] $file — $why', async ({ file, outcome }) => {
    const res = await capture(file);
    if ('refused' in outcome) {
      const { code, rule, field, message } = outcome.refused;
      expect(res.status, res.body).toBe(422);
      expect(res.json.code).toBe(code);
      expect(res.json.errors[0].rule).toBe(rule);
      if (field) expect(res.json.errors[0].field).toBe(field);
      if (message) expect(res.json.errors[0].message).toMatch(message);
      return;
    }
    const { events: count, duplicates = [], declarations = {} } = outcome.accepted;
    const declared = Object.keys(declarations).map(Number);
    expect(res.status, res.body).toBe(202);
    expect(res.json).toMatchObject({ success: true, eventCount: count, storedCount: count - duplicates.length - declared.length, duplicateCount: duplicates.length });
    const { events, context } = eventsOf(file);
    expect(events).toHaveLength(count);
    for (const [i, event] of events.entries()) {
      if (duplicates.includes(i)) continue;
      if (declared.includes(i)) {
        // The original stays and is returned with the declaration (EPCIS 2.0 §7.4.1.4).
        const [original] = await findEvents(declarations[i]!);
        expect(original?.errorDeclaration, `event ${i} of ${file}`).toMatchObject({ reason: (event.errorDeclaration as { reason?: string }).reason ?? expect.anything() });
        continue;
      }
      const id = typeof event.eventID === 'string' ? event.eventID : eventHashId(event, context);
      const found = await findEvents(id);
      expect(found, `event ${i} of ${file} by eventID ${id}`).toHaveLength(1);
      expect(found[0]).toMatchObject({ type: event.type, eventID: id });
      expect(Date.parse(found[0]!.eventTime as string)).toBe(Date.parse(event.eventTime as string));
    }
  });
});
