/**
 * Public verification of a lot (the page behind its QR code): product, producer, origin
 * provinces (or import countries) and whether the chain is complete back to designated mines
 * within quota. Nothing confidential: no quantities, no customers, no other party's names
 * beyond the lot's own producer.
 */
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { systemActor } from '../auth/actor.ts';
import { divisions } from '../registry/registry.tables.ts';
import { AppError } from '../shared/errors.ts';
import { genealogy } from './genealogy.service.ts';

export interface PublicLotFacts {
  uri: string; productCode: string; productNameZh: string; productNameEn: string;
  producerNameZh: string; producerNameEn: string | null;
  originProvinces: { code: string; nameZh: string; nameEn: string | null }[]; importCountries: string[];
  complete: boolean;
}

export async function publicLotFacts(db: Db, uri: string): Promise<PublicLotFacts | null> {
  let trace;
  try {
    trace = await genealogy(db, systemActor('public-verification'), { lot: uri, direction: 'upstream', depth: 30 });
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  }
  const root = trace.nodes.find((n) => n.uri === trace.root)!;
  const origins = trace.nodes.filter((n) => n.originKind === 'mined' && n.originDivisionCode).map((n) => `${n.originDivisionCode!.slice(0, 2)}0000`);
  const provinces = origins.length ? await db.select({ code: divisions.code, nameZh: divisions.nameZh, nameEn: divisions.nameEn }).from(divisions).where(inArray(divisions.code, [...new Set(origins)])) : [];
  return {
    uri: root.uri, productCode: root.productCode, productNameZh: root.productNameZh, productNameEn: root.productNameEn,
    producerNameZh: root.producer?.nameZh ?? '', producerNameEn: root.producer?.nameEn ?? null,
    originProvinces: provinces.sort((a, b) => a.code.localeCompare(b.code)),
    importCountries: [...new Set(trace.nodes.filter((n) => n.originKind === 'imported' && n.originCountry).map((n) => n.originCountry!))].sort(),
    complete: trace.complete,
  };
}
