/**
 * Validation of EPCIS 2.0 JSON / JSON-LD documents against the GS1 JSON Schema (draft-07).
 * The schema trips ajv's strict mode, so strictness is off; formats (date-time, uri) are checked.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldProblem } from '../shared/errors.ts';

// ajv-formats is CommonJS; under ESM its function arrives either as the module or as its `default`.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats));

let validator: ValidateFunction | null = null;

function compiled(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(new URL('./schema/EPCIS-JSON-Schema.json', import.meta.url), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Schema problems of a document, as field paths (`epcisBody.eventList.2.bizStep`) and rules; empty when valid. */
export function epcisSchemaProblems(document: unknown, limit = 50): FieldProblem[] {
  const validate = compiled();
  if (validate(document)) return [];
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const e of (validate.errors ?? []) as ErrorObject[]) {
    // anyOf/oneOf branches repeat the same complaint; the leaf errors say what to fix.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const base = e.instancePath.split('/').filter(Boolean).join('.');
    const field = e.keyword === 'required' ? [base, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.')
      : e.keyword === 'additionalProperties' ? [base, (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.') : base || 'document';
    const key = `${field}|${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field, rule: e.keyword, message: e.message ?? 'invalid' });
    if (problems.length >= limit) break;
  }
  return problems.length ? problems : [{ field: 'document', rule: 'schema', message: 'not an EPCIS 2.0 document' }];
}

/**
 * For a document that passed {@link epcisSchemaProblems}: a problem unless it is an `EPCISDocument`.
 * The GS1 schema also describes query documents and single events, which are not captured here
 * (a query document answers a query; a single event travels in an EPCISDocument's eventList).
 */
export function captureDocumentTypeProblem(document: unknown): FieldProblem | null {
  const type = typeof document === 'object' && document !== null ? (document as { type?: unknown }).type : undefined;
  if (type === 'EPCISDocument') return null;
  const name = typeof type === 'string' ? type : 'a document without a type';
  const what = type === 'EPCISQueryDocument' ? 'the answer to a query' : typeof type === 'string' && !type.startsWith('EPCIS') ? 'a single event' : 'not an EPCIS document';
  return { field: 'type', rule: 'document_type', message: `${name} is ${what}, not a document to capture; send an EPCISDocument (a single event goes in its epcisBody.eventList)` };
}
