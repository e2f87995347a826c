/**
 * The spreadsheet path of recording flows: the XLSX template to download and the upload that
 * turns a filled template into an EPCIS capture (same checks, same capture job as /epcis/capture).
 */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { enterprises, products } from '../registry/registry.tables.ts';
import { AppError } from '../shared/errors.ts';
import { flowsTemplate } from './spreadsheet.template.ts';
import { captureUpload, XLSX_CONTENT_TYPE } from './spreadsheet.upload.ts';

const jobOut = z.object({
  captureID: z.string(), running: z.boolean(), success: z.boolean(), captureErrorBehaviour: z.literal('rollback'), errors: z.array(z.unknown()),
  eventCount: z.number(), storedCount: z.number(), duplicateCount: z.number(), enterpriseId: z.string(), submittedBy: z.string(),
  submittedAt: z.string(), finishedAt: z.string().nullable(),
});

const UPLOAD_LIMIT = 10 * 1024 * 1024;

class UploadedWorkbook {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) { this.#bytes = bytes; }
  get bytes(): Buffer { return this.#bytes; }
}

export function spreadsheetRoutes(app: App, deps: Deps): void {
  // The workbook arrives as the raw body, wrapped so that the server's NUL scan of request bodies
  // (which walks every enumerable key: ten million for a 10 MB Buffer) does not look inside.
  app.addContentTypeParser(XLSX_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (_request, body, done) => done(null, new UploadedWorkbook(body as Buffer)));

  app.get('/api/trace/template.xlsx', {
    config: { permission: 'trace.read' },
    schema: {
      tags: ['trace'], summary: 'The XLSX template for a month’s flows, headers in zh-CN or English, with instructions and a worked example',
      querystring: z.object({ lang: z.enum(['zh-CN', 'en']).default('zh-CN') }),
    },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const { lang } = request.query;
    const [enterprise] = actor.enterpriseId
      ? await deps.db.select({ creditCode: enterprises.creditCode }).from(enterprises).where(eq(enterprises.id, actor.enterpriseId))
      : [];
    const catalogue = await deps.db.select({ code: products.code, nameZh: products.nameZh, nameEn: products.nameEn, category: products.category })
      .from(products).where(eq(products.active, true)).orderBy(asc(products.code));
    const file = await flowsTemplate({ lang, creditCode: enterprise?.creditCode ?? null, products: catalogue });
    const name = lang === 'en' ? 'ytterby-flows-template.xlsx' : '稀土产品流向填报模板.xlsx';
    return reply
      .header('content-disposition', `attachment; filename="ytterby-flows-template-${lang}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .type(XLSX_CONTENT_TYPE).send(file);
  });

  app.post('/api/trace/uploads', {
    bodyLimit: UPLOAD_LIMIT,
    config: { permission: 'trace.capture' },
    schema: {
      tags: ['trace'],
      summary: 'Upload a filled flows template (XLSX body): captured like an EPCIS document, all rows or none; 422 lists every error by row and column',
      response: { 202: jobOut },
    },
  }, async (request, reply) => {
    if (!(request.body instanceof UploadedWorkbook)) {
      throw new AppError('bad_request', 'trace.upload_media_type', `send the workbook itself as the body, with content-type ${XLSX_CONTENT_TYPE}`,
        [{ field: 'file', rule: 'media_type', message: `content-type ${XLSX_CONTENT_TYPE}` }]);
    }
    const job = await captureUpload(deps.db, actorOf(request), request.body.bytes);
    return reply.code(202).header('location', `/epcis/capture/${job.captureID}`).send(job);
  });
}
