/**
 * Trace module HTTP under /api/trace: locations, lots and their genealogy, minting, monthly
 * closing, mass balance and stocktakes, alerts.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { ALERT_KINDS, listTraceAlerts } from './alerts.service.ts';
import { closeMonth, closingStatus, declareStocktake, massBalance } from './closings.service.ts';
import { genealogy } from './genealogy.service.ts';
import { createLocation, LOCATION_KINDS, listLocations } from './locations.service.ts';
import { listLots, lookupLot, mintLot } from './lots.service.ts';
import { ID_HOST } from '../../domain/trace/ids.ts';
import { pageLanguage, verificationPage } from './verification.page.ts';
import { publicLotFacts } from './verification.service.ts';

const tags = ['trace'];
const year = z.coerce.number().int().min(2000).max(2100);
const month = z.coerce.number().int().min(1).max(12);

/** Where QR codes point: the configured public address, or the address this request came to. */
export function publicBaseUrl(request: FastifyRequest): string {
  return process.env.YTTERBY_PUBLIC_URL ?? `${request.protocol}://${request.host}`;
}

export function flowRoutes(app: App, deps: Deps): void {
  app.get('/api/trace/locations', { config: { permission: 'trace.read' }, schema: { tags, summary: 'Registered locations (mines, plants, warehouses, ports)', querystring: z.object({ enterpriseId: z.uuid().optional() }) } },
    (request) => listLocations(deps.db, actorOf(request), request.query));
  app.post('/api/trace/locations', {
    schema: {
      tags, summary: 'Register a location of an enterprise (its own, or any for a ministry administrator)',
      body: z.strictObject({ enterpriseId: z.uuid().optional(), siteCode: z.string().max(40), kind: z.enum(LOCATION_KINDS), oreKind: z.enum(['rock_type', 'ion_adsorption']).nullish(), nameZh: z.string().max(200), nameEn: z.string().max(200).nullish(), divisionCode: z.string().max(6) }),
    },
  }, async (request, reply) => reply.code(201).send(await createLocation(deps.db, actorOf(request), request.body)));

  app.get('/api/trace/lots', {
    config: { permission: 'trace.read' },
    schema: { tags, summary: 'Lots within your jurisdiction', querystring: z.object({ q: z.string().max(200).optional(), productCode: z.string().max(40).optional(), page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(50) }) },
  }, (request) => listLots(deps.db, actorOf(request), request.query));
  app.get('/api/trace/lots/lookup', { config: { permission: 'trace.read' }, schema: { tags, summary: 'One lot by its identifier, with holdings and movements', querystring: z.object({ uri: z.string().min(1).max(500) }) } },
    (request) => lookupLot(deps.db, actorOf(request), request.query.uri));
  app.post('/api/trace/lots/mint', {
    config: { permission: 'trace.capture' },
    schema: { tags, summary: 'Mint a Ytterby lot identifier (GS1 Digital Link style) with its QR code', body: z.strictObject({ productCode: z.string().max(40), lotNumber: z.string().max(40).nullish() }) },
  }, async (request, reply) => reply.code(201).send(await mintLot(deps.db, actorOf(request), request.body, publicBaseUrl(request))));
  app.get('/api/trace/genealogy', {
    config: { permission: 'trace.read' },
    schema: { tags, summary: 'Genealogy of a lot, upstream to the mines or downstream to everything derived from it', querystring: z.object({ lot: z.string().min(1).max(500), direction: z.enum(['upstream', 'downstream']).default('upstream'), depth: z.coerce.number().int().min(1).max(30).default(30) }) },
  }, (request) => genealogy(deps.db, actorOf(request), request.query));

  app.get('/api/trace/closings', { config: { permission: 'trace.read' }, schema: { tags, summary: 'Monthly closing status of the enterprises in your jurisdiction (Art. 10)', querystring: z.object({ year, month, divisionCode: z.string().regex(/^\d{6}$/).optional() }) } },
    (request) => closingStatus(deps.db, actorOf(request), request.query));
  app.post('/api/trace/closings', { config: { permission: 'trace.capture' }, schema: { tags, summary: 'Close a month of your flows (Art. 10)', body: z.strictObject({ year: z.number().int(), month: z.number().int() }) } },
    async (request, reply) => reply.code(201).send(await closeMonth(deps.db, actorOf(request), request.body)));
  app.get('/api/trace/mass-balance', { config: { permission: 'trace.read' }, schema: { tags, summary: 'Mass balance per product for an enterprise and month', querystring: z.object({ enterpriseId: z.uuid(), year, month }) } },
    (request) => massBalance(deps.db, actorOf(request), request.query));
  app.post('/api/trace/stocktakes', { config: { permission: 'trace.capture' }, schema: { tags, summary: 'Declare the closing stock of a product for a month', body: z.strictObject({ year: z.number().int(), month: z.number().int(), productCode: z.string().max(40), closingKg: z.union([z.string().max(30), z.number()]) }) } },
    async (request, reply) => reply.code(201).send(await declareStocktake(deps.db, actorOf(request), request.body)));
  app.get('/api/trace/alerts', { config: { permission: 'trace.read' }, schema: { tags, summary: 'Traceability alerts in your jurisdiction', querystring: z.object({ kind: z.enum(ALERT_KINDS).optional(), year: year.optional() }) } },
    (request) => listTraceAlerts(deps.db, actorOf(request), request.query));

  // Public verification (the QR code's target): no sign-in, nothing confidential.
  const segment = z.string().min(1).max(60);
  app.get('/l/:creditCode/:productCode/10/:lotNumber', {
    config: { public: true },
    schema: { tags, summary: 'Public verification page of a Ytterby-minted lot (HTML)', params: z.object({ creditCode: segment, productCode: segment, lotNumber: segment }), querystring: z.object({ lang: z.enum(['zh-CN', 'en']).optional() }) },
  }, async (request, reply) => {
    const { creditCode, productCode, lotNumber } = request.params;
    const path = `/l/${creditCode}/${productCode}/10/${lotNumber}`;
    const uri = `${ID_HOST}${path}`;
    const facts = await publicLotFacts(deps.db, uri);
    const lang = pageLanguage(request.query.lang, request.headers['accept-language']);
    return reply.code(facts ? 200 : 404).type('text/html; charset=utf-8').send(verificationPage(facts, uri, lang, path));
  });
  app.get('/verify', {
    config: { public: true },
    schema: { tags, summary: 'Public verification page of any lot identifier, GS1 keys included (HTML)', querystring: z.object({ lot: z.string().min(1).max(500), lang: z.enum(['zh-CN', 'en']).optional() }) },
  }, async (request, reply) => {
    const facts = await publicLotFacts(deps.db, request.query.lot);
    const lang = pageLanguage(request.query.lang, request.headers['accept-language']);
    return reply.code(facts ? 200 : 404).type('text/html; charset=utf-8').send(verificationPage(facts, request.query.lot, lang, `/verify?lot=${encodeURIComponent(request.query.lot)}`));
  });
}
