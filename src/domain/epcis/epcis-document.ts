/**
 * EPCIS 2.0 JSON/JSON-LD document shapes needed for the event hash ID (CBV 2.0 §8.9):
 * pulling events out of a document, and the hashing context taken from its `@context`
 * (namespace prefixes for user extensions) and repository `ignoreFields` lists.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * An EPCIS event in the JSON binding (`type` is the event type). User-extension keys are
 * either CURIEs (`example:myField`, resolved via {@link EventHashContext.namespaces}) or already
 * expanded in Clark notation (`{https://ns.example.com/epcis/}myField`, as produced from XML).
 */
export type EpcisEvent = { readonly type: string; readonly [key: string]: unknown };

/** What the hash needs besides the event itself. */
export interface EventHashContext {
  /** Prefix → namespace IRI, from the JSON-LD `@context` (standard EPCIS prefixes included). */
  readonly namespaces: Readonly<Record<string, string>>;
  /** Expanded names (`{ns}local`) of top-level event fields to leave out of the hash. */
  readonly ignoreFields: ReadonlySet<string>;
}

/** Prefixes defined by the standard EPCIS 2.0 JSON-LD context (`epcis-context.jsonld`). */
export const STANDARD_NAMESPACES: Readonly<Record<string, string>> = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: 'https://ref.gs1.org/cbv/',
  cbvmda: 'urn:epcglobal:cbv:mda:',
  gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};

export const DEFAULT_HASH_CONTEXT: EventHashContext = {
  namespaces: STANDARD_NAMESPACES,
  ignoreFields: new Set(),
};

export function isJsonObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Distinguishes a prepared {@link EventHashContext} from a raw JSON-LD `@context` value. */
export function isEventHashContext(value: unknown): value is EventHashContext {
  return isJsonObject(value) && isJsonObject(value['namespaces']) && value['ignoreFields'] instanceof Set;
}

/**
 * Expands a CURIE key (`example:myField`) to Clark notation (`{https://ns.example.com/epcis/}myField`)
 * when its prefix is known; other keys are returned unchanged.
 *
 * @example
 * expandKey('example:a', { example: 'https://ns.example.com/epcis/' }) // '{https://ns.example.com/epcis/}a'
 */
export function expandKey(key: string, namespaces: Readonly<Record<string, string>>): string {
  const colon = key.indexOf(':');
  if (colon <= 0 || key.startsWith('{')) return key;
  const ns = namespaces[key.slice(0, colon)];
  return ns === undefined ? key : `{${ns}}${key.slice(colon + 1)}`;
}

/**
 * Builds the hashing context from a JSON-LD `@context` value (string, object or array):
 * the standard EPCIS prefixes, overridden/extended by every prefix the document defines.
 *
 * @example
 * namespacesFromJsonLdContext(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
 *   { example: 'https://ns.example.com/epcis/' }]).example // 'https://ns.example.com/epcis/'
 */
export function namespacesFromJsonLdContext(context: unknown): Record<string, string> {
  const namespaces: Record<string, string> = { ...STANDARD_NAMESPACES };
  const entries: unknown[] = Array.isArray(context) ? context : context === undefined ? [] : [context];
  for (const entry of entries) {
    if (!isJsonObject(entry)) continue;
    for (const [prefix, value] of Object.entries(entry)) {
      if (prefix.startsWith('@')) continue;
      if (typeof value === 'string') namespaces[prefix] = value;
      else if (isJsonObject(value) && typeof value['@id'] === 'string') namespaces[prefix] = value['@id'];
    }
  }
  return namespaces;
}

function collectIgnoreFields(holders: Array<{ [key: string]: unknown }>, namespaces: Readonly<Record<string, string>>): Set<string> {
  const fields = new Set<string>();
  for (const holder of holders) {
    for (const [key, value] of Object.entries(holder)) {
      if (key !== 'ignoreFields' && !key.endsWith(':ignoreFields') && !key.endsWith('}ignoreFields')) continue;
      const names: unknown[] = Array.isArray(value) ? value : [value];
      for (const name of names) if (typeof name === 'string') fields.add(expandKey(name, namespaces));
    }
  }
  return fields;
}

/** Events of a document together with the context to hash them with. */
export interface DocumentEvents {
  readonly events: EpcisEvent[];
  readonly context: EventHashContext;
}

/**
 * Pulls the events out of an EPCIS JSON/JSON-LD document (`epcisBody.eventList`, a query
 * document's `epcisBody.queryResults.resultsBody.eventList`, `epcisBody.event`) or takes a bare
 * event as a one-event list; the context comes from the document's `@context` and any
 * repository `ignoreFields` list at document, body or query-results level.
 *
 * @example
 * const { events, context } = documentEvents(JSON.parse(text));
 * const ids = events.map((e) => eventHashId(e, context));
 */
export function documentEvents(doc: unknown): DocumentEvents {
  if (!isJsonObject(doc)) throw new TypeError('An EPCIS document or event must be a JSON object');
  const namespaces = namespacesFromJsonLdContext(doc['@context']);
  const body = doc['epcisBody'];
  const holders: Array<{ [key: string]: unknown }> = [doc];
  let list: unknown[] = [];
  if (isJsonObject(body)) {
    holders.push(body);
    const results = body['queryResults'];
    if (Array.isArray(body['eventList'])) list = body['eventList'];
    else if (isJsonObject(results)) {
      holders.push(results);
      const resultsBody = results['resultsBody'];
      if (isJsonObject(resultsBody) && Array.isArray(resultsBody['eventList'])) list = resultsBody['eventList'];
    } else if (isJsonObject(body['event'])) list = [body['event']];
  } else if (typeof doc['type'] === 'string') {
    list = [doc];
  }
  const events = list.filter(
    (e): e is EpcisEvent => isJsonObject(e) && typeof e['type'] === 'string',
  );
  return { events, context: { namespaces, ignoreFields: collectIgnoreFields(holders, namespaces) } };
}
