/**
 * The data-exchange API: each department's system posts its records (JSON `{records}`, or a file
 * body: text/csv, XLSX, or a JSON array/envelope sent as an attachment); reads within mandate; and
 * the export-control decision from the dated rules.
 */
import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { AppError } from '../shared/errors.ts';
import { readFile, XLSX_CONTENT_TYPE } from './exchange.files.ts';
import { KINDS, type Kind } from './exchange.records.ts';
import { deliver, deliveries, exportControlDecision, listRecords, type DeliveryIn } from './exchange.service.ts';

const UPLOAD_LIMIT = 10 * 1024 * 1024;

/** A file body, wrapped so the server's NUL scan of bodies does not walk every byte. */
class UploadedFile {
  readonly #bytes: Buffer;
  constructor(readonly type: 'csv' | 'xlsx', bytes: Buffer) { this.#bytes = bytes; }
  get bytes(): Buffer { return this.#bytes; }
}

const deliveryOut = z.object({ deliveryId: z.string(), created: z.number(), unchanged: z.number(), revised: z.number() });

function fileNameOf(disposition: string | undefined): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) { try { return decodeURIComponent(star[1]!.trim()); } catch { /* fall through */ } }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : null;
}

async function deliveryOf(kind: Kind, body: unknown, disposition: string | undefined): Promise<DeliveryIn> {
  const fileName = fileNameOf(disposition);
  if (body instanceof UploadedFile) {
    const file = await readFile(kind, body.type, body.bytes);
    return { kind, channel: 'file', fileName, records: file.records, locate: file.locate };
  }
  const records = Array.isArray(body) ? body : (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) {
    throw new AppError('validation', 'validation', 'send { "records": [ … ] }, or a file (text/csv, XLSX, JSON)', [{ field: 'records', rule: 'required', message: 'records is required' }]);
  }
  // A JSON file sent as an attachment is a file delivery; a JSON body without one is the API.
  return { kind, channel: disposition ? 'file' : 'api', fileName, records };
}

export function exchangeRoutes(app: App, deps: Deps): void {
  app.register(async (scope) => {
    // Files arrive as the raw body; this scope reads XLSX itself (the flows upload has its own parser).
    for (const [type, kind] of [[XLSX_CONTENT_TYPE, 'xlsx'], ['text/csv', 'csv']] as const) {
      if (scope.hasContentTypeParser(type)) scope.removeContentTypeParser(type);
      scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (_request, body, done) => done(null, new UploadedFile(kind, body as Buffer)));
    }
    const api = scope as App;
    for (const kind of KINDS) {
      api.post(`/api/exchange/${kind}`, {
        bodyLimit: UPLOAD_LIMIT,
        config: { permission: 'exchange.deliver' },
        schema: {
          tags: ['exchange'],
          summary: `Deliver ${kind} (JSON { records }, or a CSV, XLSX or JSON file): all records or none, idempotent on each record's number; 422 names every record and field`,
          response: { 201: deliveryOut },
        },
      }, async (request, reply) => {
        const input = await deliveryOf(kind, request.body, request.headers['content-disposition']);
        const out = await deliver(deps.db, actorOf(request), input);
        return reply.code(201).send(out);
      });

      api.get(`/api/exchange/${kind}`, {
        config: { permission: 'exchange.read' },
        schema: {
          tags: ['exchange'], summary: `Shared ${kind} within mandate (licence end users only for MOFCOM and MIIT); reads of another department's records are audited`,
          querystring: z.object({
            number: z.string().trim().max(60).optional(),
            history: z.enum(['true', 'false']).default('false'),
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(500).default(50),
          }),
        },
      }, async (request) => {
        const q = request.query;
        return listRecords(deps.db, actorOf(request), kind, { number: q.number, current: q.history !== 'true', page: q.page, pageSize: q.pageSize });
      });
    }

    api.get('/api/exchange/deliveries', {
      config: { permission: 'exchange.read' },
      schema: {
        tags: ['exchange'], summary: 'Deliveries received (an exchange system sees its own)',
        querystring: z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(50) }),
      },
    }, async (request) => ({ items: await deliveries(deps.db, actorOf(request), request.query.page, request.query.pageSize) }));

    api.get('/api/exchange/export-control', {
      config: { permission: 'registry.read' },
      schema: {
        tags: ['exchange'], summary: 'Whether exporting an element (or a catalogue product, or an HS line) needs a licence on a date, by the rules in force then',
        querystring: z.object({
          element: z.string().trim().max(2).optional(),
          productCode: z.string().trim().max(60).optional(),
          hsCode: z.string().trim().regex(/^\d{10}$/).optional(),
          date: z.iso.date().optional(),
        }),
      },
    }, async (request) => exportControlDecision(deps.db, actorOf(request), request.query));
  });
}
