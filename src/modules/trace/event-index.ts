/**
 * The searchable facts of a captured event, in canonical form so a query matches whichever
 * spelling the capturing system used (URN or Digital Link EPCs, bare CBV words or Web URIs).
 */
import { cbvUrnToWebUri, expandBareWord } from '../../domain/epcis/canonical-ids.ts';
import { canonicalEpc } from '../../domain/trace/event-fields.ts';

export { canonicalEpc };

/** bizStep / disposition as CBV Web URIs. */
export function canonicalVocabulary(value: string, vocabulary: 'BizStep' | 'Disp'): string {
  return expandBareWord(cbvUrnToWebUri(value), vocabulary);
}

const idOf = (v: unknown): string | null =>
  typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export interface EventFacts {
  action: string | null; bizStep: string | null; disposition: string | null; readPoint: string | null; bizLocation: string | null;
  epcs: string[]; epcClasses: string[];
}

export function eventFacts(event: Record<string, unknown>): EventFacts {
  const epcs = [...strings(event.epcList), ...strings(event.childEPCs), ...strings(event.inputEPCList), ...strings(event.outputEPCList)];
  if (typeof event.parentID === 'string') epcs.push(event.parentID);
  const classes: string[] = [];
  for (const key of ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList']) {
    for (const q of Array.isArray(event[key]) ? (event[key] as unknown[]) : []) {
      const c = (q as { epcClass?: unknown })?.epcClass;
      if (typeof c === 'string') classes.push(c);
    }
  }
  const bizStep = idOf(event.bizStep);
  const disposition = idOf(event.disposition);
  const readPoint = idOf(event.readPoint);
  const bizLocation = idOf(event.bizLocation);
  return {
    action: idOf(event.action),
    bizStep: bizStep ? canonicalVocabulary(bizStep, 'BizStep') : null,
    disposition: disposition ? canonicalVocabulary(disposition, 'Disp') : null,
    readPoint: readPoint ? canonicalEpc(readPoint) : null,
    bizLocation: bizLocation ? canonicalEpc(bizLocation) : null,
    epcs: [...new Set(epcs.map(canonicalEpc))],
    epcClasses: [...new Set(classes.map(canonicalEpc))],
  };
}
