import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { INDICATORS } from '../../domain/quota.ts';
import { RULE_KEYS } from './quota-rules.service.ts';
import * as quota from './quota.service.ts';
import { balancesCsv, balancesXlsx } from './balances.export.ts';

const indicator = z.enum(INDICATORS);
const tonnes = z.union([z.string(), z.number()]);
const year = z.coerce.number().int().min(2000).max(2100);
const yearParam = z.object({ year });
const idParam = z.object({ id: z.string().max(64) });
const basis = z.record(z.string(), z.string().max(2000));

const planLineOut = z.object({ id: z.string(), indicator, approvedTonnesReo: z.string(), adjustmentsTonnesReo: z.string(), effectiveTonnesReo: z.string() });
const planOut = z.object({
  id: z.string(), year: z.number(), status: z.enum(['draft', 'agreed', 'submitted', 'approved', 'closed']), round: z.number(), historical: z.boolean(),
  note: z.string().nullable(), basisText: z.string(), basisFigures: z.record(z.string(), z.string()), lines: z.array(planLineOut),
  signoffs: z.array(z.object({ departmentCode: z.string(), decision: z.enum(['agree', 'return']), reason: z.string().nullable(), username: z.string(), at: z.string(), round: z.number() })),
  adjustments: z.array(z.object({ id: z.string(), indicator, deltaTonnesReo: z.string(), reason: z.string(), documentNo: z.string(), username: z.string(), at: z.string() })),
  submittedAt: z.string().nullable(), approvalDocumentNo: z.string().nullable(), approvedOn: z.string().nullable(), closedAt: z.string().nullable(),
});
const planCreate = z.object({
  year: z.number().int(), basisText: z.string().max(20_000).optional(), basisFigures: z.record(z.string(), z.string().max(200)).optional(),
  lines: z.array(z.object({ indicator, amountTonnesReo: tonnes })).max(4),
});
const allocationOut = z.object({
  id: z.string(), batchId: z.string(), year: z.number(), indicator, enterpriseId: z.string().nullable(), enterpriseNameZh: z.string().nullable(),
  groupId: z.string().nullable(), parentAllocationId: z.string().nullable(), amountTonnesReo: z.string(), reductionTonnesReo: z.string(), netTonnesReo: z.string(),
  reductionBasis: z.string().nullable(), reductionOverrideReason: z.string().nullable(), basis: z.record(z.string(), z.string()),
  status: z.enum(['draft', 'issued', 'withdrawn']), subAllocationDue: z.string().nullable(), subAllocatedTonnesReo: z.string().nullable(), subAllocationOverdue: z.boolean(), createdBy: z.string(), createdAt: z.string(),
});
const batchOut = z.object({
  id: z.string(), year: z.number(), ordinal: z.number(), name: z.string(), status: z.enum(['draft', 'prepared', 'issued']), documentNo: z.string().nullable(),
  preparedByUsername: z.string().nullable(), preparedAt: z.string().nullable(), issuedByUsername: z.string().nullable(), issuedAt: z.string().nullable(),
  totals: z.array(z.object({ indicator, tonnesReo: z.string() })), allocations: z.array(allocationOut),
});
const noticeOut = z.object({
  id: z.string(), batchId: z.string(), batchName: z.string(), year: z.number(),
  recipient: z.object({ kind: z.enum(['department', 'enterprise']), id: z.string(), code: z.string().nullable(), nameZh: z.string(), level: z.string().nullable() }),
  forwardedFromId: z.string().nullable(), deliveredAt: z.string(), readAt: z.string().nullable(), acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(), forwardedAt: z.string().nullable(), canForward: z.boolean(),
});
const entryOut = z.object({
  id: z.string(), enterpriseId: z.string(), year: z.number(), indicator, kind: z.string(), amountTonnesReo: z.string(), periodMonth: z.number().nullable(),
  allocationId: z.string().nullable(), correctsEntryId: z.string().nullable(), note: z.string().nullable(), createdBy: z.string(), createdAt: z.string(),
});
const balanceOut = z.object({
  enterpriseId: z.string(), enterpriseNameZh: z.string(), domicileDivisionCode: z.string(), provinceCode: z.string(), groupId: z.string().nullable(), year: z.number(), indicator,
  allocatedTonnesReo: z.string(), consumedTonnesReo: z.string(), balanceTonnesReo: z.string(), reductionTonnesReo: z.string(),
  utilisationPercent: z.string().nullable(), thresholdsCrossed: z.array(z.number()), overQuota: z.boolean(),
});
const alertOut = z.object({
  id: z.string(), enterpriseId: z.string(), enterpriseNameZh: z.string(), year: z.number(), indicator, kind: z.enum(['threshold', 'over_quota']),
  thresholdPercent: z.number(), consumedTonnesReo: z.string(), allocatedTonnesReo: z.string(), raisedAt: z.string(),
});
const pair = { allocatedTonnesReo: z.string(), consumedTonnesReo: z.string() };
const summaryOut = z.object({
  year: z.number(),
  byIndicator: z.array(z.object({ indicator, ...pair })),
  byProvince: z.array(z.object({ provinceCode: z.string(), provinceNameZh: z.string(), indicator, ...pair })),
  byGroup: z.array(z.object({ groupId: z.string().nullable(), groupNameZh: z.string().nullable(), indicator, ...pair })),
  monthly: z.array(z.object({ month: z.number(), indicator, consumedTonnesReo: z.string(), cumulativeTonnesReo: z.string() })),
});
const balanceFilters = z.object({ year, enterpriseId: z.string().uuid().optional(), indicator: indicator.optional(), divisionCode: z.string().max(6).optional(), groupId: z.string().uuid().optional() });

const can = (permission: 'quota.read' | 'quota.plan' | 'quota.signoff' | 'quota.allocate' | 'quota.approve' | 'quota.consume' | 'quota.notice') => ({ permission });
const tags = ['quota'];

export function quotaRoutes(app: App, deps: Deps): void {
  const { db } = deps;
  // Plans (Art. 5)
  app.get('/api/quota/plans', { config: can('quota.read'), schema: { tags, summary: 'Annual plans, newest first, with the published history', response: { 200: z.array(planOut) } } },
    (r) => quota.listPlans(db, actorOf(r)));
  app.get('/api/quota/plans/:year', { config: can('quota.read'), schema: { tags, params: yearParam, response: { 200: planOut } } },
    (r) => quota.getPlan(db, actorOf(r), r.params.year));
  app.post('/api/quota/plans', { config: can('quota.plan'), schema: { tags, summary: 'Draft a plan', body: planCreate, response: { 201: planOut } } },
    async (r, reply) => reply.code(201).send(await quota.createPlan(db, actorOf(r), r.body)));
  app.patch('/api/quota/plans/:year', { config: can('quota.plan'), schema: { tags, summary: 'Edit a draft', params: yearParam, body: planCreate.omit({ year: true }).partial(), response: { 200: planOut } } },
    (r) => quota.updateDraftPlan(db, actorOf(r), r.params.year, r.body));
  app.post('/api/quota/plans/:year/signoffs', { config: can('quota.signoff'), schema: { tags, summary: 'MIIT, MNR or NDRC agrees to the draft or sends it back with a reason', params: yearParam, body: z.object({ decision: z.enum(['agree', 'return']), reason: z.string().max(2000).optional() }), response: { 200: planOut } } },
    (r) => quota.signOffPlan(db, actorOf(r), r.params.year, r.body.decision, r.body.reason));
  app.post('/api/quota/plans/:year/submit', { config: can('quota.plan'), schema: { tags, summary: 'Submit the agreed plan to the State Council', params: yearParam, response: { 200: planOut } } },
    (r) => quota.submitPlan(db, actorOf(r), r.params.year));
  app.post('/api/quota/plans/:year/approval', { config: can('quota.plan'), schema: { tags, summary: 'Record State Council approval', params: yearParam, body: z.object({ documentNo: z.string().trim().min(1).max(200), approvedOn: z.string() }), response: { 200: planOut } } },
    (r) => quota.recordApproval(db, actorOf(r), r.params.year, r.body));
  app.post('/api/quota/plans/:year/adjustments', { config: can('quota.plan'), schema: { tags, summary: 'Adjust an approved line, with reason and document', params: yearParam, body: z.object({ indicator, deltaTonnesReo: tonnes, reason: z.string().trim().min(1).max(2000), documentNo: z.string().trim().min(1).max(200) }), response: { 200: planOut } } },
    (r) => quota.adjustPlanLine(db, actorOf(r), r.params.year, r.body));
  app.post('/api/quota/plans/:year/close', { config: can('quota.plan'), schema: { tags, summary: 'Close the year', params: yearParam, response: { 200: planOut } } },
    (r) => quota.closePlan(db, actorOf(r), r.params.year));

  // Batches and allocations (Art. 6–7)
  app.get('/api/quota/batches', { config: can('quota.read'), schema: { tags, querystring: z.object({ year: year.optional() }), response: { 200: z.array(batchOut) } } },
    (r) => quota.listBatches(db, actorOf(r), r.query.year));
  app.get('/api/quota/batches/:id', { config: can('quota.read'), schema: { tags, params: idParam, response: { 200: batchOut } } },
    (r) => quota.getBatch(db, actorOf(r), r.params.id));
  app.post('/api/quota/batches', { config: can('quota.allocate'), schema: { tags, summary: 'Open a batch for an approved year', body: z.object({ year: z.number().int(), name: z.string().trim().min(1).max(100), documentNo: z.string().max(200).nullish() }), response: { 201: batchOut } } },
    async (r, reply) => reply.code(201).send(await quota.createBatch(db, actorOf(r), r.body)));
  app.post('/api/quota/batches/:id/allocations', { config: can('quota.allocate'), schema: {
    tags, summary: 'Allocate to a designated enterprise or to a group (draft batch)', params: idParam,
    body: z.object({ enterpriseId: z.string().uuid().nullish(), groupId: z.string().uuid().nullish(), indicator, amountTonnesReo: tonnes, basis: basis.optional(), reductionOverride: z.object({ tonnesReo: tonnes, reason: z.string().max(2000) }).nullish() }),
    response: { 201: allocationOut },
  } }, async (r, reply) => reply.code(201).send(await quota.addAllocation(db, actorOf(r), r.params.id, r.body)));
  app.post('/api/quota/allocations/:id/withdraw', { config: can('quota.allocate'), schema: { tags, params: idParam, response: { 200: allocationOut } } },
    (r) => quota.withdrawAllocation(db, actorOf(r), r.params.id));
  app.post('/api/quota/batches/:id/prepare', { config: can('quota.allocate'), schema: { tags, summary: 'First person: the batch is ready', params: idParam, response: { 200: batchOut } } },
    (r) => quota.prepareBatch(db, actorOf(r), r.params.id));
  app.post('/api/quota/batches/:id/issue', { config: can('quota.approve'), schema: { tags, summary: 'Second person: issue the batch (posts the ledger, sends notices)', params: idParam, body: z.object({ documentNo: z.string().max(200).optional() }).nullish(), response: { 200: batchOut } } },
    (r) => quota.issueBatch(db, actorOf(r), r.params.id, r.body?.documentNo));
  app.post('/api/quota/allocations/:id/sub-allocations', { config: can('quota.allocate'), schema: { tags, summary: 'Record a group’s split to a member enterprise', params: idParam, body: z.object({ enterpriseId: z.string().uuid(), amountTonnesReo: tonnes, basis: basis.optional() }), response: { 201: allocationOut } } },
    async (r, reply) => reply.code(201).send(await quota.subAllocate(db, actorOf(r), r.params.id, r.body)));
  app.get('/api/quota/allocations', { config: can('quota.read'), schema: { tags, querystring: z.object({ year: year.optional(), enterpriseId: z.string().uuid().optional() }), response: { 200: z.array(allocationOut) } } },
    (r) => quota.listAllocations(db, actorOf(r), r.query));

  // Notices (Art. 6)
  app.get('/api/quota/notices', { config: can('quota.notice'), schema: { tags, summary: 'Notices to my department or enterprise', response: { 200: z.array(noticeOut) } } },
    (r) => quota.myNotices(db, actorOf(r)));
  app.get('/api/quota/batches/:id/notices', { config: can('quota.read'), schema: { tags, summary: 'Delivery, reading and acknowledgement of a batch’s notices', params: idParam, response: { 200: z.array(noticeOut) } } },
    (r) => quota.batchNotices(db, actorOf(r), r.params.id));
  app.post('/api/quota/notices/:id/read', { config: can('quota.notice'), schema: { tags, params: idParam, response: { 200: noticeOut } } }, (r) => quota.markNoticeRead(db, actorOf(r), r.params.id));
  app.post('/api/quota/notices/:id/acknowledge', { config: can('quota.notice'), schema: { tags, params: idParam, response: { 200: noticeOut } } }, (r) => quota.acknowledgeNotice(db, actorOf(r), r.params.id));
  app.post('/api/quota/notices/:id/forward', { config: can('quota.notice'), schema: { tags, summary: 'A province forwards to the county departments concerned', params: idParam, response: { 200: z.array(noticeOut) } } },
    (r) => quota.forwardNotice(db, actorOf(r), r.params.id));

  // Ledger (Art. 8)
  app.post('/api/quota/production', { config: can('quota.consume'), schema: {
    tags, summary: 'Post a month’s production per indicator (the month’s total; re-posting the same figure is harmless)',
    body: z.object({ enterpriseId: z.string().uuid(), year: z.number().int(), month: z.number().int(), indicator, amountTonnesReo: tonnes, note: z.string().max(2000).nullish() }),
    response: { 200: z.object({ entry: entryOut.nullable(), unchanged: z.boolean(), balance: balanceOut }) },
  } }, (r) => quota.postMonthlyProduction(db, actorOf(r), r.body));
  app.post('/api/quota/ledger/:id/corrections', { config: can('quota.allocate'), schema: { tags, params: idParam, body: z.object({ deltaTonnesReo: tonnes, reason: z.string().max(2000) }), response: { 201: entryOut } } },
    async (r, reply) => reply.code(201).send(await quota.correctEntry(db, actorOf(r), r.params.id, r.body)));
  app.get('/api/quota/ledger', { config: can('quota.read'), schema: { tags, querystring: z.object({ enterpriseId: z.string().uuid(), year: year.optional(), indicator: indicator.optional() }), response: { 200: z.array(entryOut) } } },
    (r) => quota.listLedger(db, actorOf(r), r.query));
  app.get('/api/quota/balances', { config: can('quota.read'), schema: { tags, summary: 'Allocated, consumed and balance per enterprise × indicator, from the ledger', querystring: balanceFilters, response: { 200: z.array(balanceOut) } } },
    (r) => quota.listBalances(db, actorOf(r), r.query));
  app.get('/api/quota/balances/export', { config: can('quota.read'), schema: {
    tags, summary: 'The balances table as XLSX or CSV (UTF-8 with BOM), headings in zh-CN or English',
    querystring: balanceFilters.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx'), lang: z.enum(['zh-CN', 'en']).default('zh-CN') }),
  } }, async (r, reply) => {
    const { format, lang, ...filters } = r.query;
    const balances = await quota.listBalances(db, actorOf(r), filters);
    const file = `quota-balances-${filters.year}.${format}`;
    reply.header('content-disposition', `attachment; filename="${file}"`);
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(balancesCsv(balances, lang));
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await balancesXlsx(balances, lang, filters.year));
  });
  app.get('/api/quota/summary', { config: can('quota.read'), schema: { tags, summary: 'Totals per indicator, province, group and month', querystring: balanceFilters.omit({ indicator: true }), response: { 200: summaryOut } } },
    (r) => quota.quotaSummary(db, actorOf(r), r.query));
  app.get('/api/quota/alerts', { config: can('quota.read'), schema: { tags, querystring: z.object({ year: year.optional(), enterpriseId: z.string().uuid().optional() }), response: { 200: z.array(alertOut) } } },
    (r) => quota.listAlerts(db, actorOf(r), r.query));

  // Rules with effective dates
  const ruleOut = z.object({ id: z.string(), key: z.string(), value: z.unknown(), effectiveFrom: z.string(), note: z.string().nullable(), createdAt: z.string() });
  app.get('/api/quota/rules', { config: can('quota.read'), schema: { tags, summary: 'Thresholds, minimum capacity, sub-allocation deadline and Art. 14 rule, with effective dates', response: { 200: z.array(ruleOut) } } },
    (r) => quota.getRules(db, actorOf(r)));
  app.post('/api/quota/rules', { config: can('quota.plan'), schema: {
    tags, summary: 'Add a rule taking effect on a date', body: z.strictObject({ key: z.enum(RULE_KEYS), value: z.unknown(), effectiveFrom: z.string(), note: z.string().max(500).nullish() }), response: { 201: z.array(ruleOut) },
  } }, async (r, reply) => reply.code(201).send(await quota.addRule(db, actorOf(r), r.body)));

  // Article 14
  app.post('/api/quota/penalties', { config: can('quota.allocate'), schema: {
    tags, summary: 'Record an administrative penalty that reduces next year’s allocation (Art. 14)',
    body: z.object({ enterpriseId: z.string().uuid(), decidedOn: z.iso.date(), authority: z.string().trim().min(1).max(200), legalBasis: z.string().trim().min(1).max(500), documentNo: z.string().trim().min(1).max(200), overProducedTonnesReo: tonnes.nullish() }),
  } }, async (r, reply) => reply.code(201).send(await quota.recordPenalty(db, actorOf(r), r.body)));
  app.get('/api/quota/penalties', { config: can('quota.read'), schema: {
    tags, summary: 'Penalties that reduce the following year’s allocation, within your jurisdiction', querystring: z.object({ year: year.optional() }),
    response: { 200: z.array(z.object({ id: z.string(), enterpriseId: z.string(), enterpriseNameZh: z.string(), decidedOn: z.string(), authority: z.string(), legalBasis: z.string(), documentNo: z.string(), overProducedTonnesReo: z.string().nullable(), createdBy: z.string(), createdAt: z.string() })) },
  } }, (r) => quota.listPenalties(db, actorOf(r), r.query));
}
