/**
 * The rare-earth meaning of an EPCIS event (docs/traceability.md): mining output, import,
 * transformation (separation, metal smelting, magnet making), shipment, export, receipt. Pure:
 * it reads the event and says what it claims; the trace module checks the claim against what is
 * registered and held.
 */
import { canonicalEpc, isVocabulary, ytterbyField } from './event-fields.ts';
import { parseMintedLot } from './ids.ts';
import { percentToPpm } from './reo.ts';
import { quantityToGrams } from './quantity.ts';

export interface FlowProblem { field: string; rule: string; message: string }
export interface LotQuantity { lot: string; grams: bigint; field: string }

export interface Assay { treoPpm: bigint; elements: Record<string, string> }
export interface CrossBorder { country: string; customsDeclarationNo: string }

export type Flow =
  | { kind: 'commissioning'; lots: LotQuantity[]; location: string | null; productCode: string | null; assay: Assay | null; import: CrossBorder | null }
  | { kind: 'transformation'; inputs: LotQuantity[]; outputs: LotQuantity[]; productCode: string | null }
  | { kind: 'shipment'; lots: LotQuantity[]; destinationParty: string | null; invoiceNo: string | null; export: CrossBorder | null }
  | { kind: 'receipt'; lots: LotQuantity[]; sourceParty: string | null };

export interface FlowReading { flow: Flow | null; problems: FlowProblem[] }

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const idOf = (v: unknown): string | null => (typeof v === 'string' ? v : typeof asObject(v)?.id === 'string' ? (asObject(v)!.id as string) : null);

function quantities(event: Json, key: string, problems: FlowProblem[]): LotQuantity[] {
  return asArray(event[key]).map((q, i) => {
    const item = asObject(q) ?? {};
    const field = `${key}.${i}`;
    const lot = typeof item.epcClass === 'string' ? canonicalEpc(item.epcClass) : '';
    const grams = quantityToGrams(item.quantity, item.uom);
    if (typeof grams !== 'bigint') {
      problems.push({ field: `${field}.${grams.rule === 'uom' ? 'uom' : 'quantity'}`, rule: `quantity_${grams.rule}`, message: grams.message });
      return { lot, grams: 0n, field };
    }
    return { lot, grams, field };
  });
}

function crossBorder(value: unknown, field: string, problems: FlowProblem[], namespaces: Readonly<Record<string, string>>): CrossBorder | null {
  const o = asObject(value);
  if (!o) return null;
  const country = ytterbyField(o, 'country', namespaces);
  const declaration = ytterbyField(o, 'customsDeclarationNo', namespaces);
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) problems.push({ field: `${field}.country`, rule: 'country', message: 'an ISO 3166-1 alpha-2 country code, e.g. "DE"' });
  if (typeof declaration !== 'string' || !declaration.trim()) problems.push({ field: `${field}.customsDeclarationNo`, rule: 'required', message: 'the customs declaration number' });
  return { country: String(country ?? ''), customsDeclarationNo: String(declaration ?? '').trim() };
}

function assayOf(value: unknown, namespaces: Readonly<Record<string, string>>, problems: FlowProblem[]): Assay | null {
  const o = asObject(value);
  if (!o) return null;
  const treo = ytterbyField(o, 'treoPercent', namespaces);
  let treoPpm = 0n;
  try {
    treoPpm = percentToPpm(treo as string | number);
    if (treoPpm <= 0n || treoPpm > 1_000_000n) throw new Error('range');
  } catch {
    problems.push({ field: 'ilmd.ytb:assay.treoPercent', rule: 'treo_percent', message: 'TREO as a percentage above 0 and at most 100, up to 4 decimals' });
  }
  const elements: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(ytterbyField(o, 'elements', namespaces)) ?? {})) elements[k] = String(v);
  return { treoPpm, elements };
}

function partyOf(list: unknown, key: 'source' | 'destination'): string | null {
  for (const item of asArray(list)) {
    const o = asObject(item);
    if (o && typeof o.type === 'string' && isVocabulary(o.type, 'SDT', 'owning_party') && typeof o[key] === 'string') return o[key] as string;
  }
  return null;
}

function invoiceOf(list: unknown): string | null {
  for (const item of asArray(list)) {
    const o = asObject(item);
    if (o && typeof o.type === 'string' && isVocabulary(o.type, 'BTT', 'inv') && typeof o.bizTransaction === 'string') {
      return o.bizTransaction.replace(/^urn:ytterby:vat:/, '');
    }
  }
  return null;
}

/**
 * Reads an event's rare-earth meaning. `isKnownLot` says whether a lot is already recorded, so a
 * shipment of a GS1-keyed lot is recognised even without Ytterby's own markers.
 */
export function readFlow(event: Json, namespaces: Readonly<Record<string, string>>, isKnownLot: (uri: string) => boolean): FlowReading {
  const problems: FlowProblem[] = [];
  const ilmd = asObject(event.ilmd) ?? {};
  const productCode = ytterbyField(ilmd, 'product', namespaces);
  const quantityKeys = ['quantityList', 'inputQuantityList', 'outputQuantityList'];
  const classes = quantityKeys.flatMap((k) => asArray(event[k]).map((q) => asObject(q)?.epcClass)).filter((c): c is string => typeof c === 'string').map(canonicalEpc);
  const marked = typeof productCode === 'string'
    || ['assay', 'import', 'export'].some((f) => ytterbyField(event, f, namespaces) !== undefined || ytterbyField(ilmd, f, namespaces) !== undefined)
    || classes.some((c) => parseMintedLot(c) !== null || isKnownLot(c));
  if (!marked || event.errorDeclaration !== undefined) return { flow: null, problems };
  const bizStep = idOf(event.bizStep) ?? '';
  const product = typeof productCode === 'string' ? productCode : null;

  if (event.type === 'TransformationEvent') {
    const inputs = quantities(event, 'inputQuantityList', problems);
    const outputs = quantities(event, 'outputQuantityList', problems);
    if (inputs.length === 0) problems.push({ field: 'inputQuantityList', rule: 'required', message: 'a transformation names the lots it used, with their weights' });
    if (outputs.length === 0) problems.push({ field: 'outputQuantityList', rule: 'required', message: 'a transformation names the lots it made, with their weights' });
    return { flow: { kind: 'transformation', inputs, outputs, productCode: product }, problems };
  }
  if (event.type !== 'ObjectEvent') return { flow: null, problems };
  const action = event.action;
  if (action === 'ADD' && isVocabulary(bizStep, 'BizStep', 'commissioning')) {
    const lots = quantities(event, 'quantityList', problems);
    if (lots.length === 0) problems.push({ field: 'quantityList', rule: 'required', message: 'commissioning names the new lots with their weights' });
    const imported = ytterbyField(event, 'import', namespaces) ?? ytterbyField(ilmd, 'import', namespaces);
    const importFacts = imported === undefined ? null : crossBorder(imported, 'ytb:import', problems, namespaces);
    const assayValue = ytterbyField(ilmd, 'assay', namespaces) ?? ytterbyField(event, 'assay', namespaces);
    return { flow: { kind: 'commissioning', lots, location: idOf(event.bizLocation), productCode: product, assay: assayOf(assayValue, namespaces, problems), import: importFacts }, problems };
  }
  if (action === 'OBSERVE' && isVocabulary(bizStep, 'BizStep', 'shipping')) {
    const lots = quantities(event, 'quantityList', problems);
    const exported = ytterbyField(event, 'export', namespaces);
    const exportFacts = exported === undefined ? null : crossBorder(exported, 'ytb:export', problems, namespaces);
    const destinationParty = partyOf(event.destinationList, 'destination');
    if (!exportFacts && !destinationParty) problems.push({ field: 'destinationList', rule: 'destination_party', message: 'a shipment names the receiving enterprise (owning_party), or is an export with ytb:export' });
    return { flow: { kind: 'shipment', lots, destinationParty, invoiceNo: invoiceOf(event.bizTransactionList), export: exportFacts }, problems };
  }
  if (action === 'OBSERVE' && isVocabulary(bizStep, 'BizStep', 'receiving')) {
    const lots = quantities(event, 'quantityList', problems);
    const sourceParty = partyOf(event.sourceList, 'source');
    if (!sourceParty) problems.push({ field: 'sourceList', rule: 'source_party', message: 'a receipt names the shipping enterprise (owning_party)' });
    return { flow: { kind: 'receipt', lots, sourceParty }, problems };
  }
  return { flow: null, problems };
}
