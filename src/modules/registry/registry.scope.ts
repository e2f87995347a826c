/**
 * Jurisdiction as SQL: which enterprises and divisions an actor may see. Used by every query
 * of the registry and, through the registry service, by the other modules.
 */
import { eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Scope } from '../auth/actor.ts';
import { divisions, enterprises } from './registry.tables.ts';

/** Divisions in the subtree rooted at a code (the code itself included). */
export function divisionSubtree(db: Db, code: string) {
  return db.select({ code: divisions.code }).from(divisions)
    .where(or(eq(divisions.code, code), eq(divisions.provinceCode, code), eq(divisions.prefectureCode, code)));
}

/** Condition on `enterprises` limiting rows to the scope; undefined means everything. */
export function enterpriseScopeCondition(db: Db, scope: Scope): SQL | undefined {
  switch (scope.kind) {
    case 'national': return undefined;
    case 'division': return inArray(enterprises.domicileDivisionCode, divisionSubtree(db, scope.divisionCode));
    case 'enterprise': return eq(enterprises.id, scope.enterpriseId);
  }
}

/** Whether a division (by its denormalised ancestry) lies inside a scope. */
export function divisionInScope(
  division: { code: string; provinceCode: string; prefectureCode: string | null },
  scope: Scope,
): boolean {
  if (scope.kind === 'national') return true;
  if (scope.kind === 'enterprise') return false;
  return division.code === scope.divisionCode || division.provinceCode === scope.divisionCode
    || division.prefectureCode === scope.divisionCode;
}
