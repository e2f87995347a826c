/**
 * EPCIS 2.0 REST query: events by type, time, bizStep, disposition, EPC / EPC class, location and
 * eventID, paged by an opaque `nextPageToken` (keyset on record time), always limited to the
 * enterprises the caller may see.
 */
import { and, asc, eq, gt, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { enterpriseScopeCondition } from '../registry/registry.service.ts';
import { enterprises } from '../registry/registry.tables.ts';
import { invalid, notFound } from '../shared/errors.ts';
import { canonicalEpc, canonicalVocabulary } from './event-index.ts';
import { errorDeclarations } from './flow.tables.ts';
import { epcisEvents } from './trace.tables.ts';

export interface EventQuery {
  eventType?: string[];
  GE_eventTime?: string; LT_eventTime?: string; GE_recordTime?: string; LT_recordTime?: string;
  EQ_bizStep?: string[]; EQ_disposition?: string[]; EQ_action?: string[]; EQ_readPoint?: string[]; EQ_bizLocation?: string[];
  MATCH_epc?: string[]; MATCH_anyEPC?: string[]; MATCH_epcClass?: string[]; EQ_eventID?: string[];
  /** Parties and places: `EQ_source_{type}` / `EQ_destination_{type}` (owning_party, possessing_party, location). */
  sources?: { type: string; values: string[] }[]; destinations?: { type: string; values: string[] }[];
  /** `EQ_bizTransaction_{type}`, e.g. inv for the special VAT invoice. */
  bizTransactions?: { type: string; values: string[] }[];
  EXISTS_errorDeclaration?: boolean;
  perPage: number; nextPageToken?: string;
}

/** A CBV word in each spelling a capturing system may have used. */
const spellings = (word: string, vocabulary: 'SDT' | 'BTT') => [word, `https://ref.gs1.org/cbv/${vocabulary}-${word}`, `urn:epcglobal:cbv:${vocabulary.toLowerCase()}:${word}`];

function listMatch(list: 'sourceList' | 'destinationList' | 'bizTransactionList', key: string, vocabulary: 'SDT' | 'BTT', type: string, values: string[]): SQL {
  return sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(${epcisEvents.event}->${list}) = 'array' then ${epcisEvents.event}->${list} else '[]'::jsonb end) x
    where x->>'type' = any(${sql.param(spellings(type, vocabulary))}::text[]) and x->>${key} = any(${sql.param([...new Set([...values, ...values.map(canonicalEpc)])])}::text[]))`;
}

const token = {
  encode: (recordTime: Date, id: string) => Buffer.from(`${recordTime.toISOString()}|${id}`).toString('base64url'),
  decode: (value: string): { recordTime: Date; id: string } => {
    const [time, id] = Buffer.from(value, 'base64url').toString().split('|');
    const recordTime = new Date(time ?? '');
    if (!id || Number.isNaN(recordTime.getTime())) throw invalid('nextPageToken', 'format', 'not a token this server issued');
    return { recordTime, id };
  },
};

function time(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid(field, 'date-time', 'an RFC 3339 date-time');
  return d;
}

/** Events within the actor's jurisdiction matching the query, one page, with the token for the next. */
export async function queryEvents(db: Db, actor: Actor, q: EventQuery): Promise<{ events: unknown[]; nextPageToken: string | null }> {
  requirePermission(actor, 'trace.read');
  const conditions: SQL[] = [];
  const scope = enterpriseScopeCondition(db, actor.scope);
  if (scope) conditions.push(scope);
  if (q.eventType?.length) conditions.push(inArray(epcisEvents.eventType, q.eventType));
  const bounds = [
    ['GE_eventTime', q.GE_eventTime, (d: Date) => gte(epcisEvents.eventTime, d)],
    ['LT_eventTime', q.LT_eventTime, (d: Date) => lt(epcisEvents.eventTime, d)],
    ['GE_recordTime', q.GE_recordTime, (d: Date) => gte(epcisEvents.recordTime, d)],
    ['LT_recordTime', q.LT_recordTime, (d: Date) => lt(epcisEvents.recordTime, d)],
  ] as const;
  for (const [field, value, condition] of bounds) {
    const d = time(field, value);
    if (d) conditions.push(condition(d));
  }
  if (q.EQ_bizStep?.length) conditions.push(inArray(epcisEvents.bizStep, q.EQ_bizStep.map((v) => canonicalVocabulary(v, 'BizStep'))));
  if (q.EQ_disposition?.length) conditions.push(inArray(epcisEvents.disposition, q.EQ_disposition.map((v) => canonicalVocabulary(v, 'Disp'))));
  if (q.EQ_action?.length) conditions.push(inArray(epcisEvents.action, q.EQ_action));
  if (q.EQ_readPoint?.length) conditions.push(inArray(epcisEvents.readPoint, q.EQ_readPoint.map(canonicalEpc)));
  if (q.EQ_bizLocation?.length) conditions.push(inArray(epcisEvents.bizLocation, q.EQ_bizLocation.map(canonicalEpc)));
  if (q.EQ_eventID?.length) conditions.push(inArray(epcisEvents.eventId, q.EQ_eventID));
  for (const m of q.sources ?? []) conditions.push(listMatch('sourceList', 'source', 'SDT', m.type, m.values));
  for (const m of q.destinations ?? []) conditions.push(listMatch('destinationList', 'destination', 'SDT', m.type, m.values));
  for (const m of q.bizTransactions ?? []) conditions.push(listMatch('bizTransactionList', 'bizTransaction', 'BTT', m.type, m.values));
  if (q.EXISTS_errorDeclaration !== undefined) {
    const declared = sql`exists (select 1 from ${errorDeclarations} d where d.enterprise_id = ${epcisEvents.enterpriseId} and d.event_row_id = ${epcisEvents.id})`;
    conditions.push(q.EXISTS_errorDeclaration ? declared : sql`not ${declared}`);
  }
  const epcs = [...(q.MATCH_epc ?? []), ...(q.MATCH_anyEPC ?? [])].map(canonicalEpc);
  if (epcs.length) conditions.push(sql`${epcisEvents.epcs} && ${sql.param(epcs)}::text[]`);
  if (q.MATCH_epcClass?.length) conditions.push(sql`${epcisEvents.epcClasses} && ${sql.param(q.MATCH_epcClass.map(canonicalEpc))}::text[]`);
  if (q.nextPageToken) {
    const after = token.decode(q.nextPageToken);
    conditions.push(or(gt(epcisEvents.recordTime, after.recordTime), and(eq(epcisEvents.recordTime, after.recordTime), gt(epcisEvents.id, after.id)))!);
  }
  // An event declared in error is returned with its declaration (EPCIS 2.0 §7.4.1.4): the original stays, marked.
  const rows = await db.select({ event: epcisEvents.event, recordTime: epcisEvents.recordTime, id: epcisEvents.id, declaration: errorDeclarations.declaration })
    .from(epcisEvents).innerJoin(enterprises, eq(enterprises.id, epcisEvents.enterpriseId))
    .leftJoin(errorDeclarations, and(eq(errorDeclarations.enterpriseId, epcisEvents.enterpriseId), eq(errorDeclarations.eventRowId, epcisEvents.id)))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(epcisEvents.recordTime), asc(epcisEvents.id)).limit(q.perPage + 1);
  const page = rows.slice(0, q.perPage);
  const last = page.at(-1);
  return {
    events: page.map((r) => ({ ...(r.event as object), recordTime: r.recordTime.toISOString(), ...(r.declaration ? { errorDeclaration: r.declaration } : {}) })),
    nextPageToken: rows.length > q.perPage && last ? token.encode(last.recordTime, last.id) : null,
  };
}

export async function eventById(db: Db, actor: Actor, eventId: string): Promise<unknown> {
  const { events } = await queryEvents(db, actor, { EQ_eventID: [eventId], perPage: 1 });
  if (events.length === 0) throw notFound('event', eventId);
  return events[0];
}

/** An EPCIS 2.0 query document around a list of events. */
export function queryDocument(events: unknown[]): Record<string, unknown> {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISQueryDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(),
    epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: events } } },
  };
}
