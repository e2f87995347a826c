/**
 * Trace module HTTP: the EPCIS 2.0 capture interface under /epcis (JSON and JSON-LD bodies).
 */
import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { captureDocument, getCaptureJob, listCaptureJobs } from './capture.service.ts';

const jobOut = z.object({
  captureID: z.string(), running: z.boolean(), success: z.boolean(), captureErrorBehaviour: z.literal('rollback'), errors: z.array(z.unknown()),
  eventCount: z.number(), storedCount: z.number(), duplicateCount: z.number(), enterpriseId: z.string(), submittedBy: z.string(),
  submittedAt: z.string(), finishedAt: z.string().nullable(),
});

export function traceRoutes(app: App, deps: Deps): void {
  // EPCIS clients send JSON-LD; keep the raw text for the document digest.
  app.addContentTypeParser(['application/ld+json'], { parseAs: 'string' }, (_request, body, done) => {
    try { done(null, JSON.parse(body as string)); } catch (error) { (error as { statusCode?: number }).statusCode = 400; done(error as Error, undefined); }
  });
  app.post('/epcis/capture', {
    bodyLimit: 20 * 1024 * 1024,
    config: { permission: 'trace.capture' },
    schema: { tags: ['epcis'], summary: 'Capture an EPCIS 2.0 document (all events or none); 202 with the capture job', body: z.record(z.string(), z.unknown()), response: { 202: jobOut } },
  }, async (request, reply) => {
    const job = await captureDocument(deps.db, actorOf(request), request.body, JSON.stringify(request.body));
    return reply.code(202).header('location', `/epcis/capture/${job.captureID}`).header('gs1-epcis-version', '2.0.0').send(job);
  });
  app.get('/epcis/capture', { config: { permission: 'trace.read' }, schema: { tags: ['epcis'], summary: 'Recent capture jobs within your jurisdiction', response: { 200: z.array(jobOut) } } },
    (request) => listCaptureJobs(deps.db, actorOf(request)));
  app.get('/epcis/capture/:captureID', { config: { permission: 'trace.read' }, schema: { tags: ['epcis'], params: z.object({ captureID: z.string().max(64) }), response: { 200: jobOut } } },
    (request) => getCaptureJob(deps.db, actorOf(request), request.params.captureID));
}
