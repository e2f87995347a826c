import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { INDICATORS } from '../../domain/quota.ts';
import { REPORT_LEVELS } from '../../domain/reports/deadlines.ts';
import { invalid, notFound } from '../shared/errors.ts';
import { renderReportPdf, signedReportFromPdf } from './report.pdf.ts';
import { renderReportXlsx } from './report.xlsx.ts';
import * as reports from './reports.service.ts';

const tags = ['reports'];
const can = (permission: 'reports.read' | 'reports.submit' | 'reports.review' | 'reports.compile') => ({ permission });
const period = z.string().max(7).describe('a month YYYY-MM or a year YYYY');
const idParam = z.object({ id: z.string().max(64) });
const lang = z.enum(['zh-CN', 'en']).default('zh-CN');
const grams = z.string().describe('integer grams');

const indicatorLine = z.object({
  indicator: z.enum(INDICATORS), allocatedReoGrams: grams, periodReoGrams: grams, yearToDateReoGrams: grams, remainingReoGrams: grams, flowReoGrams: grams,
  utilisationPercent: z.string().nullable(), thresholdsCrossed: z.array(z.number()), explanation: z.string().nullable(),
});
const level = z.enum(REPORT_LEVELS);
const massLine = z.record(z.string(), z.string());
const content = z.object({
  schema: z.string(), period: z.string(),
  subject: z.object({ level, enterpriseId: z.string().nullable(), creditCode: z.string().nullable(), divisionCode: z.string().nullable(), nameZh: z.string(), nameEn: z.string() }),
  lines: z.array(indicatorLine), massBalance: z.array(massLine),
  closing: z.object({ months: z.number(), closed: z.number(), late: z.number(), missing: z.number(), open: z.number() }),
  remarks: z.string().nullable(), enterpriseReports: z.number(),
  constituents: z.array(z.object({ reportId: z.string(), version: z.number(), level, key: z.string(), nameZh: z.string(), nameEn: z.string(), contentHash: z.string(), submittedAt: z.string(), late: z.boolean() })),
  listed: z.array(z.object({ level, key: z.string(), nameZh: z.string(), nameEn: z.string(), reason: z.enum(['missing', 'returned', 'late']), viaKey: z.string().nullable() })),
  explanations: z.array(z.object({ level, key: z.string(), nameZh: z.string(), nameEn: z.string().optional(), indicator: z.enum(INDICATORS).nullable(), text: z.string() })),
});
const summary = z.object({
  id: z.string(), level, subjectKey: z.string(), nameZh: z.string(), nameEn: z.string(), creditCode: z.string().nullable(), divisionCode: z.string().nullable(),
  period: z.string(), periodKind: z.string(), version: z.number(), status: z.enum(['submitted', 'accepted', 'returned', 'superseded']), late: z.boolean(), dueDate: z.string(),
  submittedBy: z.string(), submittedAt: z.string(), reviewedBy: z.string().nullable(), reviewedAt: z.string().nullable(), returnReason: z.string().nullable(),
  recipientDivisionCode: z.string().nullable(), contentHash: z.string(), enterpriseReports: z.number(),
});
const seal = z.object({
  reportId: z.string(), version: z.number(), replacesReportId: z.string().nullable(), period: z.string(), level: z.string(), subjectKey: z.string(), contentHash: z.string(),
  submittedBy: z.string(), submittedByName: z.string(), submittedAt: z.string(), keyId: z.string(), algorithm: z.literal('Ed25519'),
});
const detail = summary.extend({
  content, seal, signature: z.string(), keyId: z.string(), replacesReportId: z.string().nullable(), correctionReason: z.string().nullable(),
  versions: z.array(summary), canReview: z.boolean(),
});
const submitted = z.object({ unchanged: z.boolean(), report: summary });
const unitStatus = z.object({
  level, key: z.string(), nameZh: z.string(), nameEn: z.string(), divisionCode: z.string().nullable(), creditCode: z.string().nullable(), parentKey: z.string().nullable(),
  dueDate: z.string(), status: z.enum(['missing', 'submitted', 'accepted', 'returned']), overdue: z.boolean(), late: z.boolean(),
  reportId: z.string().nullable(), version: z.number().nullable(), submittedAt: z.string().nullable(), returnReason: z.string().nullable(),
  lines: z.array(indicatorLine).nullable(), enterpriseReports: z.number().nullable(), childCount: z.number(),
});
const jwk = z.object({ kid: z.string(), kty: z.string(), crv: z.string(), x: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig'), createdAt: z.string(), retiredAt: z.string().nullable() });
const verifyOut = z.object({ valid: z.boolean(), reason: z.string().optional(), message: z.string().optional(), seal: seal.optional() });

export function reportsRoutes(app: App, { db }: Deps): void {
  app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.get('/api/reports', { config: can('reports.read'), schema: {
    tags, summary: 'Reports and compilations within jurisdiction (inbox=true: those awaiting your department\'s review)',
    querystring: z.object({ period: period.optional(), level: level.optional(), status: z.enum(['submitted', 'accepted', 'returned', 'superseded']).optional(), enterpriseId: z.string().uuid().optional(), divisionCode: z.string().max(6).optional(), inbox: z.coerce.boolean().optional(), includeSuperseded: z.coerce.boolean().optional() }),
    response: { 200: z.array(summary) },
  } }, (r) => reports.listReports(db, actorOf(r), r.query));

  app.get('/api/reports/prefill', { config: can('reports.read'), schema: {
    tags, summary: 'An enterprise report prefilled from the quota ledger and the flows, with the explanations it needs',
    querystring: z.object({ enterpriseId: z.string().uuid(), period }),
    response: { 200: z.object({ content, explanationsRequired: z.array(z.object({ index: z.number(), indicator: z.string(), reason: z.string() })), dueDate: z.string(), latest: z.object({ id: z.string(), version: z.number(), status: z.string(), returnReason: z.string().nullable() }).nullable() }) },
  } }, (r) => reports.prefillEnterpriseReport(db, actorOf(r), r.query));

  app.post('/api/reports/enterprise', { config: can('reports.submit'), schema: {
    tags, summary: 'Submit (or correct) the enterprise\'s implementation report: sealed, signed and sent to the county departments',
    body: z.strictObject({
      enterpriseId: z.string().uuid(), period,
      lines: z.array(z.strictObject({ indicator: z.string().max(40), explanation: z.string().max(4000).nullish() })).max(10).optional(),
      remarks: z.string().max(4000).nullish(), replacesReportId: z.string().uuid().nullish(), correctionReason: z.string().max(2000).nullish(),
    }),
    response: { 200: submitted, 201: submitted },
  } }, async (r, reply) => {
    const { row, unchanged } = await reports.submitEnterpriseReport(db, actorOf(r), r.body);
    return reply.code(unchanged ? 200 : 201).send({ unchanged, report: reports.toSummary(row) });
  });

  app.get('/api/reports/compilations/preview', { config: can('reports.read'), schema: {
    tags, summary: 'What your division\'s compilation for a period would state now, and the reports still awaiting review',
    querystring: z.object({ period, divisionCode: z.string().max(6).optional() }),
    response: { 200: z.object({ content, pending: z.array(z.object({ reportId: z.string(), level: z.string(), key: z.string(), nameZh: z.string(), nameEn: z.string() })), dueDate: z.string() }) },
  } }, async (r) => {
    const { content: c, pending, dueDate } = await reports.previewCompilation(db, actorOf(r), r.query);
    return { content: c, pending, dueDate };
  });

  app.post('/api/reports/compilations', { config: can('reports.compile'), schema: {
    tags, summary: 'Compile the accepted reports of the level below, seal, sign and submit upward',
    body: z.strictObject({ period, divisionCode: z.string().max(6).optional(), remarks: z.string().max(4000).nullish() }),
    response: { 200: submitted, 201: submitted },
  } }, async (r, reply) => {
    const { row, unchanged } = await reports.submitCompilation(db, actorOf(r), r.body);
    return reply.code(unchanged ? 200 : 201).send({ unchanged, report: reports.toSummary(row) });
  });

  app.get('/api/reports/overview', { config: can('reports.read'), schema: {
    tags, summary: 'Reporting status of a period for a division (or CN): each unit below, figures, outstanding and late reports at every level',
    querystring: z.object({ period, divisionCode: z.string().max(6).optional() }),
    response: { 200: z.object({ period: z.string(), unit: unitStatus, children: z.array(unitStatus), childrenTotal: z.array(indicatorLine), outstanding: z.array(unitStatus), late: z.array(unitStatus) }) },
  } }, (r) => reports.reportOverview(db, actorOf(r), r.query));

  app.get('/api/reports/execution', { config: can('reports.read'), schema: {
    tags, summary: 'Execution against the indicators month by month through a year, for a division (or CN)',
    querystring: z.object({ year: z.coerce.number().int(), divisionCode: z.string().max(6).optional() }),
    response: { 200: z.object({ year: z.number(), unitKey: z.string(), months: z.array(z.object({ month: z.number(), source: z.enum(['compilation', 'enterprise_reports', 'none']), enterpriseReports: z.number(), lines: z.array(indicatorLine) })) }) },
  } }, (r) => reports.executionSeries(db, actorOf(r), r.query));

  app.get('/api/reports/alerts', { config: can('reports.read'), schema: {
    tags, summary: 'Overdue reports raised by the reminder sweep, within jurisdiction',
    querystring: z.object({ open: z.coerce.boolean().optional() }),
    response: { 200: z.array(z.object({ id: z.string(), kind: z.string(), level: z.string(), subjectKey: z.string(), period: z.string(), divisionCode: z.string().nullable(), dueDate: z.string(), raisedAt: z.string(), resolvedAt: z.string().nullable() })) },
  } }, (r) => reports.listReportAlerts(db, actorOf(r), r.query));

  app.post('/api/reports/reminders/run', { config: can('reports.compile'), schema: {
    tags, summary: 'Run the reminder sweep now (it also runs hourly in the server)', response: { 200: z.object({ reminders: z.number(), overdue: z.number() }) },
  } }, () => reports.runReminderSweep(db));

  app.get('/api/reports/notices', { config: can('reports.read'), schema: {
    tags, summary: 'In-app notices for your enterprise or division (submissions, returns, reminders, overdue)',
    querystring: z.object({ unread: z.coerce.boolean().optional() }),
    response: { 200: z.array(z.object({ id: z.string(), topic: z.string(), subjectZh: z.string(), subjectEn: z.string(), payload: z.unknown(), createdAt: z.string(), readAt: z.string().nullable() })) },
  } }, (r) => reports.myNotices(db, actorOf(r), { unreadOnly: r.query.unread }));
  app.post('/api/reports/notices/:id/read', { config: can('reports.read'), schema: { tags, params: idParam } }, async (r, reply) => {
    await reports.markNoticeRead(db, actorOf(r), r.params.id);
    return reply.code(204).send();
  });

  app.get('/api/reports/keys', { config: { public: true }, schema: { tags, summary: 'The published Ed25519 keys (JWK set) that check report signatures', response: { 200: z.object({ keys: z.array(jwk) }) } } },
    () => reports.publishedKeys(db));
  app.get('/.well-known/ytterby-report-keys.json', { config: { public: true }, schema: { hide: true } }, () => reports.publishedKeys(db));

  app.post('/api/reports/verify', { config: { public: true }, schema: {
    tags, summary: 'Check a downloaded report (the signed JSON, or the PDF, which carries it) against the published keys',
    response: { 200: verifyOut },
  } }, async (r) => {
    const doc = Buffer.isBuffer(r.body) ? signedReportFromPdf(r.body) : r.body;
    if (!doc) throw invalid('body', 'no_signed_report', 'this PDF carries no signed report (report.signed.json)', 'reports.verify_invalid');
    const outcome = await reports.verifyReportDocument(db, doc);
    return { ...outcome, seal: outcome.valid ? (doc as { seal: z.infer<typeof seal> }).seal : undefined };
  });

  app.get('/api/reports/:id', { config: can('reports.read'), schema: { tags, params: idParam, response: { 200: detail } } },
    (r) => reports.getReport(db, actorOf(r), r.params.id));
  app.post('/api/reports/:id/accept', { config: can('reports.review'), schema: { tags, params: idParam, response: { 200: summary } } },
    async (r) => reports.toSummary(await reports.decideReport(db, actorOf(r), r.params.id, 'accept')));
  app.post('/api/reports/:id/return', { config: can('reports.review'), schema: { tags, params: idParam, body: z.strictObject({ reason: z.string().max(4000) }), response: { 200: summary } } },
    async (r) => reports.toSummary(await reports.decideReport(db, actorOf(r), r.params.id, 'return', r.body.reason)));

  const download = async (id: string, r: Parameters<typeof actorOf>[0]) => {
    const row = await reports.findVisibleReport(db, actorOf(r), id);
    if (!row) throw notFound('report', id);
    return row;
  };
  const fileBase = (row: { level: string; period: string; version: number; subjectKey: string }) => `report-${row.level}-${row.subjectKey}-${row.period}-v${row.version}`;
  app.get('/api/reports/:id/signed', { config: can('reports.read'), schema: { tags, summary: 'The sealed report as JSON: content, seal and Ed25519 signature', params: idParam } }, async (r, reply) => {
    const row = await download(r.params.id, r);
    reply.header('content-disposition', `attachment; filename="${fileBase(row)}.json"`);
    return reply.type('application/json').send(JSON.stringify(reports.signedDocument(row), null, 2));
  });
  app.get('/api/reports/:id/pdf', { config: can('reports.read'), schema: { tags, summary: 'The report as PDF (CJK font embedded) with its signature block; the signed JSON is attached inside', params: idParam, querystring: z.object({ lang }) } }, async (r, reply) => {
    const row = await download(r.params.id, r);
    const pdf = await renderReportPdf(reports.signedDocument(row), r.query.lang, { status: row.status, dueDate: row.dueDate, late: row.late });
    reply.header('content-disposition', `attachment; filename="${fileBase(row)}.pdf"`);
    return reply.type('application/pdf').send(pdf);
  });
  app.get('/api/reports/:id/xlsx', { config: can('reports.read'), schema: { tags, summary: 'The report as XLSX with a seal sheet', params: idParam, querystring: z.object({ lang }) } }, async (r, reply) => {
    const row = await download(r.params.id, r);
    reply.header('content-disposition', `attachment; filename="${fileBase(row)}.xlsx"`);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await renderReportXlsx(reports.signedDocument(row), r.query.lang));
  });
}
