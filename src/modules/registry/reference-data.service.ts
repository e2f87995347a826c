/**
 * Reference data shipped with Ytterby (data/reference/): GB/T 2260 divisions with English
 * names where known, rare earth elements and their oxide factors, export-control rules with
 * their dates, and the official holiday calendar. Loading is idempotent.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { ruleStatusOn } from '../../domain/export-control.ts';
import type { HolidayCalendar } from '../../domain/working-days.ts';
import { todayInChina } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { newId } from '../shared/ids.ts';
import { divisions, exportControlRules, holidays, rareEarthElements } from './registry.tables.ts';
import type { z } from 'zod';
import type { elementOut, exportControlRuleOut } from './registry.schemas.ts';

export const REFERENCE_DIR = fileURLToPath(new URL('../../../data/reference/', import.meta.url));

function readCsv(name: string): Record<string, string>[] {
  return parse(readFileSync(REFERENCE_DIR + name, 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Division rows with province/prefecture ancestry resolved from parent links, parents before children. */
export function referenceDivisions(): (typeof divisions.$inferInsert)[] {
  const rows = readCsv('divisions.csv');
  let english = new Map<string, string>();
  try {
    english = new Map(readCsv('division-names-en.csv').map((r) => [r.code!, r.name_en!]));
  } catch { /* English names are optional */ }
  const byCode = new Map(rows.map((r) => [r.code!, r]));
  const levelRank = { province: 0, prefecture: 1, county: 2 } as Record<string, number>;
  return rows
    .map((r) => {
      const parent = r.parent_code ? byCode.get(r.parent_code) : undefined;
      const provinceCode = r.level === 'province' ? r.code! : parent?.level === 'province' ? parent.code! : parent!.parent_code!;
      const prefectureCode = r.level === 'prefecture' ? r.code! : parent?.level === 'prefecture' ? parent.code! : null;
      return {
        code: r.code!, nameZh: r.name_zh!, nameEn: english.get(r.code!) ?? null, level: r.level!,
        parentCode: r.parent_code || null, provinceCode, prefectureCode,
      };
    })
    .sort((a, b) => levelRank[a.level]! - levelRank[b.level]! || a.code.localeCompare(b.code));
}

export interface ReferenceLoadResult { divisions: number; elements: number; exportControlRules: number; holidays: number }

/** Inserts what is missing; never overwrites what officials have edited since. */
export async function loadReferenceData(db: Db, onProgress?: (step: string, done: number, total: number) => void): Promise<ReferenceLoadResult> {
  return withTransaction(db, async (tx) => {
    const divisionRows = referenceDivisions();
    let done = 0;
    for (const chunk of chunks(divisionRows, 500)) {
      await tx.insert(divisions).values(chunk).onConflictDoNothing();
      done += chunk.length;
      onProgress?.('divisions', done, divisionRows.length);
    }
    const elements = readCsv('rare-earth-elements.csv').map((r) => ({
      symbol: r.symbol!, nameEn: r.name_en!, nameZh: r.name_zh!, oxide: r.oxide!, metalToOxide: r.metal_to_oxide!,
      oxideToMetal: r.oxide_to_metal!, elementGroup: r.group!,
    }));
    await tx.insert(rareEarthElements).values(elements).onConflictDoNothing();
    onProgress?.('elements', elements.length, elements.length);
    const rules = readCsv('export-control-rules.csv').map((r) => ({
      id: newId(), announcement: r.announcement!, authority: r.authority!, announcedOn: r.announced_on!,
      elements: r.elements === 'all controlled' ? [] : r.elements!.split(';').map((e) => e.trim()),
      scope: r.scope!, effectiveFrom: r.effective_from || null, suspendedFrom: r.suspended_from || null,
      suspendedTo: r.suspended_to || null, statusNote: r.status_note || null,
    }));
    await tx.insert(exportControlRules).values(rules).onConflictDoNothing();
    onProgress?.('export-control rules', rules.length, rules.length);
    const days = readCsv('holidays-cn.csv').map((r) => ({ date: r.date!, nameZh: r.name_zh!, isOffDay: r.is_off_day === 'true' }));
    await tx.insert(holidays).values(days).onConflictDoNothing();
    onProgress?.('holidays', days.length, days.length);
    return { divisions: divisionRows.length, elements: elements.length, exportControlRules: rules.length, holidays: days.length };
  });
}

export async function referenceDataLoaded(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(divisions);
  return Number(row?.n ?? 0) > 0;
}

export async function listElements(db: Db, actor: Actor): Promise<z.infer<typeof elementOut>[]> {
  requirePermission(actor, 'registry.read');
  const rows = await db.select().from(rareEarthElements).orderBy(asc(sql`case ${rareEarthElements.elementGroup} when 'light' then 0 when 'medium' then 1 when 'heavy' then 2 else 3 end`));
  return rows.map((r) => ({ symbol: r.symbol, nameEn: r.nameEn, nameZh: r.nameZh, oxide: r.oxide, metalToOxide: r.metalToOxide, oxideToMetal: r.oxideToMetal, group: r.elementGroup }));
}

export async function listExportControlRules(db: Db, actor: Actor): Promise<z.infer<typeof exportControlRuleOut>[]> {
  requirePermission(actor, 'registry.read');
  const today = todayInChina();
  const rows = await db.select().from(exportControlRules).where(eq(exportControlRules.active, true)).orderBy(asc(exportControlRules.announcedOn));
  return rows.map((r) => ({
    id: r.id, announcement: r.announcement, authority: r.authority, announcedOn: r.announcedOn, elements: r.elements, scope: r.scope,
    effectiveFrom: r.effectiveFrom, suspendedFrom: r.suspendedFrom, suspendedTo: r.suspendedTo, statusNote: r.statusNote,
    statusToday: ruleStatusOn(r, today),
  }));
}

/** The official calendar (days off, worked weekends) for working-day deadlines. */
export async function holidayCalendar(db: Db): Promise<HolidayCalendar> {
  const rows = await db.select().from(holidays);
  return {
    offDays: new Set(rows.filter((r) => r.isOffDay).map((r) => r.date)),
    workedWeekends: new Set(rows.filter((r) => !r.isOffDay).map((r) => r.date)),
  };
}
