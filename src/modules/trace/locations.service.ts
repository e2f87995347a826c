/**
 * Locations as master data (mines, plants, warehouses, ports), each tied to an enterprise and a
 * county: mining output is accepted only at a registered mine, whose county is the lot's origin.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { isDivisionCode } from '../../domain/division-code.ts';
import { isSiteCode, locationUri } from '../../domain/trace/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enterpriseScopeCondition, findVisibleEnterprise } from '../registry/registry.service.ts';
import { divisions, enterprises } from '../registry/registry.tables.ts';
import { conflict, forbidden, invalid, notFound, ProblemList } from '../shared/errors.ts';
import { withTransaction } from '../../db/transaction.ts';
import { traceLocations } from './flow.tables.ts';

export const LOCATION_KINDS = ['mine', 'plant', 'warehouse', 'port'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export interface LocationInput { enterpriseId?: string; siteCode: string; kind: LocationKind; oreKind?: 'rock_type' | 'ion_adsorption' | null; nameZh: string; nameEn?: string | null; divisionCode: string }
export interface LocationOut { uri: string; enterpriseId: string; siteCode: string; kind: LocationKind; oreKind: string | null; nameZh: string; nameEn: string | null; divisionCode: string; active: boolean }

const toOut = (l: typeof traceLocations.$inferSelect): LocationOut => ({
  uri: l.uri, enterpriseId: l.enterpriseId, siteCode: l.siteCode, kind: l.kind as LocationKind, oreKind: l.oreKind, nameZh: l.nameZh, nameEn: l.nameEn, divisionCode: l.divisionCode, active: l.active,
});

export async function listLocations(db: Db, actor: Actor, filters: { enterpriseId?: string }): Promise<LocationOut[]> {
  requirePermission(actor, 'trace.read');
  const scope = enterpriseScopeCondition(db, actor.scope);
  const conditions = [scope, filters.enterpriseId ? eq(traceLocations.enterpriseId, filters.enterpriseId) : undefined].filter(Boolean);
  const rows = await db.select({ l: traceLocations }).from(traceLocations).innerJoin(enterprises, eq(enterprises.id, traceLocations.enterpriseId))
    .where(and(...conditions)).orderBy(asc(traceLocations.uri)).limit(1000);
  return rows.map((r) => toOut(r.l));
}

/** Registers a location: an enterprise its own, a ministry administrator any enterprise's. */
export async function createLocation(db: Db, actor: Actor, input: LocationInput): Promise<LocationOut> {
  const enterpriseId = input.enterpriseId ?? actor.enterpriseId ?? '';
  if (actor.scope.kind === 'enterprise') {
    requirePermission(actor, 'trace.capture');
    if (enterpriseId !== actor.enterpriseId) throw forbidden('an enterprise registers only its own locations', 'trace.own_locations_only');
  } else {
    requirePermission(actor, 'registry.write');
  }
  const problems = new ProblemList();
  if (!isSiteCode(input.siteCode)) problems.add('siteCode', 'format', "1–40 letters, digits or -_.!'()*+,:;=");
  if (!LOCATION_KINDS.includes(input.kind)) problems.add('kind', 'enum', LOCATION_KINDS.join(', '));
  if (input.kind === 'mine' && !input.oreKind) problems.add('oreKind', 'required', 'a mine names the ore kind mined there: rock_type or ion_adsorption');
  if (input.kind !== 'mine' && input.oreKind) problems.add('oreKind', 'mine_only', 'only a mine has an ore kind');
  if (!input.nameZh?.trim()) problems.add('nameZh', 'required', 'the location’s Chinese name');
  if (!isDivisionCode(input.divisionCode)) problems.add('divisionCode', 'format', 'a six-digit administrative division code');
  problems.throwIfAny('trace.location_invalid');
  const enterprise = await findVisibleEnterprise(db, actor, enterpriseId);
  if (!enterprise) throw notFound('enterprise', enterpriseId);
  const [division] = await db.select({ code: divisions.code }).from(divisions).where(eq(divisions.code, input.divisionCode));
  if (!division) throw invalid('divisionCode', 'unknown', `${input.divisionCode} is not a current division code`, 'trace.location_invalid');
  const uri = locationUri(enterprise.creditCode, input.siteCode);
  return withTransaction(db, async (tx) => {
    const [existing] = await tx.select().from(traceLocations).where(eq(traceLocations.uri, uri));
    if (existing) throw conflict('siteCode', 'unique', `location ${input.siteCode} is already registered for this enterprise`, 'trace.location_exists');
    const [row] = await tx.insert(traceLocations).values({
      uri, enterpriseId, siteCode: input.siteCode, kind: input.kind, oreKind: input.kind === 'mine' ? input.oreKind! : null,
      nameZh: input.nameZh.trim(), nameEn: input.nameEn?.trim() || null, divisionCode: input.divisionCode,
    }).returning();
    const out = toOut(row!);
    await recordAudit(tx, actor, { action: 'create', entity: 'trace_location', entityId: uri, after: out });
    return out;
  });
}
