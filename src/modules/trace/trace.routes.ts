/**
 * Trace module HTTP: the EPCIS 2.0 capture and query interface under /epcis, and /api/trace.
 */
import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { captureDocument, captureXmlDocument, getCaptureJob, listCaptureJobs } from './capture.service.ts';
import { eventById, queryDocument, queryEvents } from './query.service.ts';
import { flowRoutes } from './flows.routes.ts';
import { spreadsheetRoutes } from './spreadsheet.routes.ts';

const jobOut = z.object({
  captureID: z.string(), running: z.boolean(), success: z.boolean(), captureErrorBehaviour: z.literal('rollback'), errors: z.array(z.unknown()),
  eventCount: z.number(), storedCount: z.number(), duplicateCount: z.number(), enterpriseId: z.string(), submittedBy: z.string(),
  submittedAt: z.string(), finishedAt: z.string().nullable(),
});

export function traceRoutes(app: App, deps: Deps): void {
  flowRoutes(app, deps);
  spreadsheetRoutes(app, deps);
  // EPCIS clients send JSON-LD; keep the raw text for the document digest.
  app.addContentTypeParser(['application/ld+json'], { parseAs: 'string' }, (_request, body, done) => {
    try { done(null, JSON.parse(body as string)); } catch (error) { (error as { statusCode?: number }).statusCode = 400; done(error as Error, undefined); }
  });
  // The XML binding arrives as text and is parsed by the capture use case.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/epcis/capture', {
    bodyLimit: 20 * 1024 * 1024,
    config: { permission: 'trace.capture' },
    schema: { tags: ['epcis'], summary: 'Capture an EPCIS 2.0 document, JSON-LD or XML (all events or none); 202 with the capture job', body: z.union([z.record(z.string(), z.unknown()), z.string()]), response: { 202: jobOut } },
  }, async (request, reply) => {
    const body = request.body;
    const job = typeof body === 'string'
      ? await captureXmlDocument(deps.db, actorOf(request), body)
      : await captureDocument(deps.db, actorOf(request), body, JSON.stringify(body));
    return reply.code(202).header('location', `/epcis/capture/${job.captureID}`).header('gs1-epcis-version', '2.0.0').send(job);
  });
  // Repeated parameters and comma lists both mean "any of" (EPCIS 2.0 REST binding).
  const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)).optional();
  const eventQuery = z.object({
    eventType: list, GE_eventTime: z.string().optional(), LT_eventTime: z.string().optional(), GE_recordTime: z.string().optional(), LT_recordTime: z.string().optional(),
    EQ_bizStep: list, EQ_disposition: list, EQ_action: list, EQ_readPoint: list, EQ_bizLocation: list, MATCH_epc: list, MATCH_anyEPC: list, MATCH_epcClass: list, EQ_eventID: list,
    EQ_source_owning_party: list, EQ_source_possessing_party: list, EQ_source_location: list,
    EQ_destination_owning_party: list, EQ_destination_possessing_party: list, EQ_destination_location: list,
    EQ_bizTransaction_inv: list, EQ_bizTransaction_po: list, EQ_bizTransaction_desadv: list, EQ_bizTransaction_bol: list,
    EXISTS_errorDeclaration: z.enum(['true', 'false', '']).transform((v) => v !== 'false').optional(),
    perPage: z.coerce.number().int().min(1).max(1000).default(30), nextPageToken: z.string().max(500).optional(),
  });
  /** `EQ_source_owning_party=…` and the like, as the service's typed lists. */
  const typed = (query: Record<string, unknown>, prefix: string) => Object.entries(query)
    .filter(([k, v]) => k.startsWith(prefix) && Array.isArray(v) && v.length)
    .map(([k, v]) => ({ type: k.slice(prefix.length), values: v as string[] }));
  app.get('/epcis/events', {
    config: { permission: 'trace.read' },
    schema: { tags: ['epcis'], summary: 'Query events (EPCIS 2.0 REST): filters, paging with nextPageToken; limited to your jurisdiction', querystring: eventQuery },
  }, async (request, reply) => {
    const q = request.query;
    const result = await queryEvents(deps.db, actorOf(request), {
      ...q, sources: typed(q, 'EQ_source_'), destinations: typed(q, 'EQ_destination_'), bizTransactions: typed(q, 'EQ_bizTransaction_'),
    });
    if (result.nextPageToken) {
      const params = new URLSearchParams(request.query as unknown as Record<string, string>);
      params.set('nextPageToken', result.nextPageToken);
      reply.header('link', `</epcis/events?${params.toString()}>; rel="next"`);
    }
    return reply.header('gs1-epcis-version', '2.0.0').type('application/ld+json').send(queryDocument(result.events));
  });
  app.get('/epcis/events/:eventID', {
    config: { permission: 'trace.read' },
    schema: { tags: ['epcis'], summary: 'One event by its eventID (URL-encoded)', params: z.object({ eventID: z.string().max(500) }) },
  }, async (request, reply) => reply.type('application/ld+json').send(await eventById(deps.db, actorOf(request), request.params.eventID)));

  app.get('/epcis/capture', { config: { permission: 'trace.read' }, schema: { tags: ['epcis'], summary: 'Recent capture jobs within your jurisdiction', response: { 200: z.array(jobOut) } } },
    (request) => listCaptureJobs(deps.db, actorOf(request)));
  app.get('/epcis/capture/:captureID', { config: { permission: 'trace.read' }, schema: { tags: ['epcis'], params: z.object({ captureID: z.string().max(64) }), response: { 200: jobOut } } },
    (request) => getCaptureJob(deps.db, actorOf(request), request.params.captureID));
}
