/**
 * EPCIS 2.0 capture (Order No. 71 Art. 10; Regulations Art. 14): a document is validated against
 * the GS1 schema, then stored as one unit under a capture job. Every event gets the CBV 2.0 event
 * hash; an event whose eventID or hash the enterprise already recorded is counted as a duplicate
 * and not stored again, so re-sending a document is harmless.
 */
import { createHash } from 'node:crypto';
import { and, arrayOverlaps, desc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { documentEvents, eventHashId } from '../../domain/epcis/event-hash.ts';
import { xmlDocumentEvents } from '../../domain/epcis/xml-events.ts';
import { isEventHashContext, namespacesFromJsonLdContext } from '../../domain/epcis/epcis-document.ts';
import { monthInChina, monthKey } from '../../domain/trace/months.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enterpriseScopeCondition } from '../registry/registry.service.ts';
import { enterprises } from '../registry/registry.tables.ts';
import { AppError, forbidden, notFound, type FieldProblem } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { captureDocumentTypeProblem, epcisSchemaProblems } from './epcis-schema.ts';
import { epcisXsdProblems, xmlCaptureDocumentTypeProblem } from './xsd-validation.ts';
import { eventFacts } from './event-index.ts';
import { chainLink, lockChainTip } from './event-chain.ts';
import { captureJobs, epcisEvents } from './trace.tables.ts';
import { errorDeclarations, monthClosings } from './flow.tables.ts';
import { applyFlows, FlowRefusal, recordRefusalAlerts, type CapturedEvent, type EventProblem } from './flows.service.ts';
import { reverseEventFlows } from './corrections.service.ts';

export const EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;

export interface CaptureJobOut {
  captureID: string; running: boolean; success: boolean; captureErrorBehaviour: 'rollback';
  errors: unknown[]; eventCount: number; storedCount: number; duplicateCount: number;
  enterpriseId: string; submittedBy: string; submittedAt: string; finishedAt: string | null;
}

type EpcisEventJson = Record<string, unknown> & { type: string; eventTime: string; eventTimeZoneOffset: string; eventID?: string };

const toOut = (j: typeof captureJobs.$inferSelect): CaptureJobOut => ({
  captureID: j.id, running: j.finishedAt === null, success: j.success, captureErrorBehaviour: 'rollback', errors: j.errors,
  eventCount: j.eventCount, storedCount: j.storedCount, duplicateCount: j.duplicateCount, enterpriseId: j.enterpriseId,
  submittedBy: j.submittedBy, submittedAt: j.submittedAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null,
});

/** Validates a JSON / JSON-LD document against the GS1 schema and stores it; returns the finished capture job. */
export async function captureDocument(db: Db, actor: Actor, document: unknown, raw: string): Promise<CaptureJobOut> {
  requireCapturer(actor);
  const problems = epcisSchemaProblems(document);
  if (problems.length) {
    throw new AppError('validation', 'epcis.schema', `the document does not conform to the EPCIS 2.0 JSON Schema: ${problems.length} problem(s), first at ${problems[0]!.field}`, problems);
  }
  const notADocument = captureDocumentTypeProblem(document);
  if (notADocument) throw new AppError('validation', 'epcis.document_type', notADocument.message, [notADocument]);
  const { events, context } = documentEvents(document);
  return storeEvents(db, actor, events as EpcisEventJson[], context, raw);
}

/** Parses an EPCIS 2.0 XML document (the XML binding) and stores its events like a JSON capture. */
export async function captureXmlDocument(db: Db, actor: Actor, xml: string): Promise<CaptureJobOut> {
  requireCapturer(actor);
  const xsdProblems = await epcisXsdProblems(xml);
  if (xsdProblems.length) {
    throw new AppError('validation', 'epcis.xsd', `the document does not conform to the EPCIS 2.0 XML Schema: ${xsdProblems.length} problem(s), first at ${xsdProblems[0]!.field}: ${xsdProblems[0]!.message}`, xsdProblems);
  }
  const notADocument = xmlCaptureDocumentTypeProblem(xml);
  if (notADocument) throw new AppError('validation', 'epcis.document_type', notADocument.message, [notADocument]);
  let parsed: ReturnType<typeof xmlDocumentEvents>;
  try {
    parsed = xmlDocumentEvents(xml);
  } catch (error) {
    throw new AppError('bad_request', 'epcis.xml', `the XML document could not be read: ${(error as Error).message}`, [{ field: 'document', rule: 'xml', message: (error as Error).message }]);
  }
  // The XSD requires eventTime and eventTimeZoneOffset but lets a user-defined event in another
  // namespace through EventList/extension; only the five EPCIS 2.0 event types are stored.
  const problems: FieldProblem[] = [];
  parsed.events.forEach((e, i) => {
    if (!(EVENT_TYPES as readonly string[]).includes(e.type)) problems.push({ field: `eventList.${i}`, rule: 'event_type', message: `${e.type} is not an EPCIS 2.0 event type` });
  });
  if (problems.length) throw new AppError('validation', 'epcis.xml_events', 'the XML document holds events of a type this system does not store', problems);
  return storeEvents(db, actor, parsed.events as EpcisEventJson[], parsed.context, xml);
}

function requireCapturer(actor: Actor): asserts actor is Actor & { enterpriseId: string } {
  requirePermission(actor, 'trace.capture');
  if (!actor.enterpriseId) throw forbidden('events are captured by the enterprise that records them; sign in as its operator', 'trace.enterprise_only');
}

/** Stores events in one transaction under a capture job, chaining each new event; duplicates are counted, not stored. */
async function storeEvents(db: Db, actor: Actor, events: EpcisEventJson[], context: unknown, raw: string): Promise<CaptureJobOut> {
  if (events.length === 0) throw new AppError('validation', 'epcis.empty', 'the document holds no events', [{ field: 'epcisBody.eventList', rule: 'min_items', message: 'at least one event' }]);
  const hashed = events.map((event, index) => {
    try {
      return { event, index, hash: eventHashId(event, context) };
    } catch (error) {
      throw new AppError('validation', 'epcis.event_hash', `event ${index} cannot be hashed: ${(error as Error).message}`, [{ field: `epcisBody.eventList.${index}`, rule: 'event_hash', message: (error as Error).message }]);
    }
  });
  const namespaces = isEventHashContext(context) ? context.namespaces : namespacesFromJsonLdContext(context);
  const enterpriseId = actor.enterpriseId!;
  const digest = createHash('sha256').update(raw).digest('hex');
  try {
    return await withTransaction(db, async (tx) => {
      const jobId = newId();
      await tx.insert(captureJobs).values({ id: jobId, enterpriseId, submittedBy: actor.username, eventCount: events.length, documentSha256: digest });
      let tip = await lockChainTip(tx, enterpriseId);
      const hashes = hashed.map((h) => h.hash);
      const ids = hashed.map((h) => h.event.eventID).filter((x): x is string => typeof x === 'string');
      const existing = await tx.select({ hash: epcisEvents.eventHash, eventId: epcisEvents.eventId, rowId: epcisEvents.id }).from(epcisEvents)
        .where(and(eq(epcisEvents.enterpriseId, enterpriseId), ids.length ? or(inArray(epcisEvents.eventHash, hashes), inArray(epcisEvents.eventId, ids)) : inArray(epcisEvents.eventHash, hashes)));
      const problems: EventProblem[] = [];
      const declared = hashed.filter((h) => h.event.errorDeclaration !== undefined);
      const corrective = new Set<string>();
      let declarationCount = 0;
      const declare = async (d: (typeof hashed)[number], rowId: string) => {
        const outcome = await recordDeclaration(tx, actor, enterpriseId, jobId, d.event.errorDeclaration as Record<string, unknown>, rowId);
        if (outcome === 'recorded') declarationCount++;
        else if (outcome !== 'already') for (const p of outcome) problems.push({ index: d.index, ...p });
      };
      // Declarations of events stored earlier are undone first; of events earlier in this document, once those are stored.
      const later: (typeof hashed)[number][] = [];
      for (const d of declared) {
        const declaration = d.event.errorDeclaration as Record<string, unknown>;
        for (const id of Array.isArray(declaration?.correctiveEventIDs) ? declaration.correctiveEventIDs : []) if (typeof id === 'string') corrective.add(id);
        const original = existing.find((e) => e.hash === d.hash);
        if (original) await declare(d, original.rowId);
        else if (hashed.some((h) => h.hash === d.hash && h.index < d.index && h.event.errorDeclaration === undefined)) later.push(d);
        else problems.push({ index: d.index, field: 'errorDeclaration', rule: 'error_declaration_unknown_event', message: `none of your events has this content (event hash ${d.hash}); an error declaration repeats the original event` });
      }
      const seenHashes = new Set(existing.map((e) => e.hash));
      const seenIds = new Set(existing.map((e) => e.eventId).filter(Boolean));
      const rows: (typeof epcisEvents.$inferInsert)[] = [];
      const captured: CapturedEvent[] = [];
      for (const { event, hash, index } of hashed) {
        if (event.errorDeclaration !== undefined) continue;
        if (seenHashes.has(hash) || (event.eventID && seenIds.has(event.eventID))) continue;
        seenHashes.add(hash);
        if (event.eventID) seenIds.add(event.eventID);
        const stored = { ...event, ...(event.eventID ? {} : { eventID: hash }) };
        const link = chainLink(tip.hash, hash, stored);
        const row = {
          enterpriseId, id: newId(), captureJobId: jobId, eventId: event.eventID ?? hash, eventHash: hash, eventType: event.type,
          eventTime: new Date(event.eventTime), eventTimeZoneOffset: event.eventTimeZoneOffset, ...eventFacts(event),
          event: stored, chainSeq: tip.seq + 1n, prevChainHash: tip.hash, chainHash: link,
        };
        rows.push(row);
        captured.push({ index, rowId: row.id, eventId: row.eventId, event: stored, eventTime: row.eventTime });
        tip = { seq: tip.seq + 1n, hash: link };
      }
      // A little clock skew is tolerated; an event from the future is a typo or a clock gone wrong.
      const latest = Date.now() + 10 * 60_000;
      for (const c of captured) if (c.eventTime.getTime() > latest) problems.push({ index: c.index, field: 'eventTime', rule: 'future_event', message: `${c.eventTime.toISOString()} is in the future` });
      problems.push(...(await closedMonthProblems(tx, enterpriseId, captured, corrective)));
      for (let i = 0; i < rows.length; i += 500) await tx.insert(epcisEvents).values(rows.slice(i, i + 500));
      if (problems.length) throw new FlowRefusal(problems, []);
      await applyFlows(tx, actor, enterpriseId, captured, namespaces);
      for (const d of later) await declare(d, rows.find((r) => r.eventHash === d.hash)!.id);
      if (problems.length) throw new FlowRefusal(problems, []);
      const storedCount = rows.length;
      const [job] = await tx.update(captureJobs).set({ finishedAt: new Date(), storedCount, duplicateCount: events.length - storedCount - declarationCount })
        .where(eq(captureJobs.id, jobId)).returning();
      await recordAudit(tx, actor, { action: 'capture', entity: 'capture_job', entityId: jobId, after: { events: events.length, stored: storedCount, declarations: declarationCount, duplicates: events.length - storedCount - declarationCount } });
      return toOut(job!);
    });
  } catch (error) {
    if (!(error instanceof FlowRefusal)) throw error;
    const problems = error.problems.sort((a, b) => a.index - b.index).map((p) => ({ field: `epcisBody.eventList.${p.index}.${p.field}`, rule: p.rule, message: p.message }));
    // The refusal is itself a record: a failed capture job with its errors, and any Art. 7 alert.
    const jobId = newId();
    await withTransaction(db, async (tx) => {
      await tx.insert(captureJobs).values({ id: jobId, enterpriseId, submittedBy: actor.username, eventCount: events.length, documentSha256: digest, success: false, finishedAt: new Date(), errors: problems });
      await recordRefusalAlerts(tx, error.alerts);
    });
    const first = problems[0]!;
    throw new AppError('validation', `trace.${first.rule}`, `the document was refused, nothing was stored: ${problems.length} problem(s); first: ${first.message}`, problems, { captureID: jobId });
  }
}

/** Records an error declaration on a stored event and undoes what the event posted, unless later flows depend on it. */
async function recordDeclaration(tx: Db, actor: Actor, enterpriseId: string, jobId: string, declaration: Record<string, unknown>, rowId: string): Promise<'recorded' | 'already' | FieldProblem[]> {
  const [already] = await tx.select({ rowId: errorDeclarations.eventRowId }).from(errorDeclarations).where(and(eq(errorDeclarations.enterpriseId, enterpriseId), eq(errorDeclarations.eventRowId, rowId)));
  if (already) return 'already';
  const reason = typeof declaration?.reason === 'string' ? declaration.reason : 'unspecified';
  const blocked = await reverseEventFlows(tx, actor, enterpriseId, rowId, reason);
  if (blocked.length) return blocked;
  const declarationTime = typeof declaration?.declarationTime === 'string' && !Number.isNaN(Date.parse(declaration.declarationTime)) ? new Date(declaration.declarationTime) : new Date();
  await tx.insert(errorDeclarations).values({
    enterpriseId, eventRowId: rowId, declarationTime, reason, captureJobId: jobId, declaration,
    correctiveEventIds: Array.isArray(declaration?.correctiveEventIDs) ? (declaration.correctiveEventIDs as unknown[]).filter((x): x is string => typeof x === 'string') : [],
  });
  return 'recorded';
}

/** Art. 10: once a month is closed, its events are refused unless they correct an error. */
async function closedMonthProblems(tx: Db, enterpriseId: string, captured: CapturedEvent[], corrective: Set<string>): Promise<EventProblem[]> {
  if (captured.length === 0) return [];
  const closed = await tx.select({ year: monthClosings.year, month: monthClosings.month }).from(monthClosings).where(eq(monthClosings.enterpriseId, enterpriseId));
  if (closed.length === 0) return [];
  const keys = new Set(closed.map((c) => monthKey(c)));
  const candidates = captured.filter((c) => keys.has(monthKey(monthInChina(c.eventTime))));
  if (candidates.length === 0) return [];
  const earlier = await tx.select({ ids: errorDeclarations.correctiveEventIds }).from(errorDeclarations)
    .where(and(eq(errorDeclarations.enterpriseId, enterpriseId), arrayOverlaps(errorDeclarations.correctiveEventIds, candidates.map((c) => c.eventId))));
  for (const e of earlier) for (const id of e.ids) corrective.add(id);
  return candidates.filter((c) => !corrective.has(c.eventId)).map((c) => {
    const { year, month } = monthInChina(c.eventTime);
    return { index: c.index, field: 'eventTime', rule: 'month_closed', message: `${year}-${String(month).padStart(2, '0')} is closed; record a change as an error declaration with corrective events` };
  });
}

export async function getCaptureJob(db: Db, actor: Actor, id: string): Promise<CaptureJobOut> {
  requirePermission(actor, 'trace.read');
  if (!isUuid(id)) throw notFound('capture job', id);
  const scope = enterpriseScopeCondition(db, actor.scope);
  const [row] = await db.select({ job: captureJobs }).from(captureJobs).innerJoin(enterprises, eq(enterprises.id, captureJobs.enterpriseId))
    .where(scope ? and(eq(captureJobs.id, id), scope) : eq(captureJobs.id, id));
  if (!row) throw notFound('capture job', id);
  return toOut(row.job);
}

export async function listCaptureJobs(db: Db, actor: Actor, limit = 50): Promise<CaptureJobOut[]> {
  requirePermission(actor, 'trace.read');
  const scope = enterpriseScopeCondition(db, actor.scope);
  const rows = await db.select({ job: captureJobs }).from(captureJobs).innerJoin(enterprises, eq(enterprises.id, captureJobs.enterpriseId))
    .where(scope).orderBy(desc(captureJobs.submittedAt)).limit(limit);
  return rows.map((r) => toOut(r.job));
}
