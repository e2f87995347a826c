/**
 * EPCIS 1.2/2.0 XML binding → the JSON-binding event shape, so that the CBV 2.0 §8.9 event hash
 * (event-hash.ts) treats both bindings alike. Namespaces are resolved; user extensions get
 * Clark-notation keys (`{namespace}local`); `<extension>`/`<baseExtension>` wrappers, comments,
 * `xmlns`/`xsi:` attributes are dropped; standard `…List` elements become JSON arrays.
 */
import { XMLParser } from 'fast-xml-parser';
import { STANDARD_NAMESPACES, type EpcisEvent, type EventHashContext, type JsonObject, type JsonValue } from './epcis-document.ts';

/** fast-xml-parser `preserveOrder` node: one tag key → children, plus `:@` attributes, or `#text`. */
type OrderedNode = { [key: string]: OrderedNode[] | Record<string, string> | string | undefined };

interface XmlElement {
  ns: string | null;
  local: string;
  attributes: Array<{ name: string; value: string }>;
  children: XmlElement[];
  text: string;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** EPCIS namespaces: elements in them are the standard (unqualified) vocabulary. */
const EPCIS_NS = /^urn:epcglobal:(epcis|epcis-query|epcis-masterdata):xsd:\d+$/;
const WRAPPERS = new Set(['extension', 'baseExtension']);
const EVENT_LISTS = new Set(['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']);
const TYPED_IDENTIFIERS = new Set(['bizTransaction', 'source', 'destination']);

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

function resolve(qname: string, scope: ReadonlyMap<string, string>, isAttribute: boolean): { ns: string | null; local: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { ns: isAttribute ? null : (scope.get('') ?? null), local: qname };
  return { ns: scope.get(qname.slice(0, colon)) ?? null, local: qname.slice(colon + 1) };
}

function toElement(node: OrderedNode, parentScope: ReadonlyMap<string, string>): XmlElement | null {
  const tag = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (tag === undefined) return null;
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  const scope = new Map(parentScope);
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === 'xmlns') scope.set('', value);
    else if (name.startsWith('xmlns:')) scope.set(name.slice('xmlns:'.length), value);
  }
  const { ns, local } = resolve(tag, scope, false);
  const attributes: XmlElement['attributes'] = [];
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const resolved = resolve(name, scope, true);
    if (resolved.ns === XSI) continue; // type annotations and schema locations are not event data
    attributes.push({ name: resolved.ns ? `{${resolved.ns}}${resolved.local}` : resolved.local, value });
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[tag] ?? []) as OrderedNode[]) {
    if (typeof child['#text'] === 'string') {
      text += child['#text'];
      continue;
    }
    const element = toElement(child, scope);
    if (!element) continue;
    if (element.ns === null && WRAPPERS.has(element.local)) children.push(...element.children);
    else children.push(element);
  }
  return { ns: ns !== null && EPCIS_NS.test(ns) ? null : ns, local, attributes, children, text: text.trim() };
}

function keyOf(element: XmlElement): string {
  return element.ns === null ? element.local : `{${element.ns}}${element.local}`;
}

/** Generic element → JSON: text-only elements become strings, others objects (repeated names → arrays). */
function elementValue(element: XmlElement): JsonValue {
  if (element.ns === null && (EVENT_LISTS.has(element.local) || element.local.endsWith('List'))) {
    return element.children.map((item) =>
      EVENT_LISTS.has(element.local) ? item.text : elementValue(item),
    );
  }
  if (element.attributes.length === 0 && element.children.length === 0) return element.text;
  const out: JsonObject = {};
  for (const { name, value } of element.attributes) out[name] = value;
  if (element.ns === null && TYPED_IDENTIFIERS.has(element.local)) out[element.local] = element.text;
  else if (element.text) out['#text'] = element.text;
  const grouped = new Map<string, JsonValue[]>();
  for (const child of element.children) {
    const key = keyOf(child);
    grouped.set(key, [...(grouped.get(key) ?? []), elementValue(child)]);
  }
  for (const [key, values] of grouped) out[key] = values.length === 1 ? (values[0] ?? '') : values;
  return out;
}

function findAll(element: XmlElement, local: string): XmlElement[] {
  if (element.ns === null && element.local === local) return [element];
  return element.children.flatMap((child) => findAll(child, local));
}

/** The result of reading an XML document: events in JSON shape plus the context to hash them with. */
export interface XmlDocumentEvents {
  readonly events: EpcisEvent[];
  readonly context: EventHashContext;
}

/**
 * Reads the events of an EPCIS XML document (`EPCISDocument` or `EPCISQueryDocument`) into the
 * JSON-binding event shape. Values keep their XML lexical form; as in the XML binding, only the
 * `gs1:` and `cbv:` value prefixes are expanded when hashing (see the returned context).
 *
 * @example
 * const { events, context } = xmlDocumentEvents(readFileSync('doc.xml', 'utf8'));
 * events.map((e) => eventHashId(e, context));
 */
export function xmlDocumentEvents(xml: string): XmlDocumentEvents {
  const nodes = parser.parse(xml) as OrderedNode[];
  const roots = nodes.map((n) => toElement(n, new Map())).filter((e): e is XmlElement => e !== null);
  const eventLists = roots.flatMap((root) => findAll(root, 'EventList'));
  const events: EpcisEvent[] = eventLists
    .flatMap((list) => list.children)
    .map((element) => {
      const body = elementValue({ ...element, attributes: [], text: '' });
      const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
      return { type: element.local, ...fields };
    });
  const ignoreFields = new Set(
    roots
      .flatMap((root) => root.children.concat(root.children.flatMap((c) => c.children)))
      .filter((e) => e.local === 'ignoreFields')
      .flatMap((e) => e.children.map(keyOf)),
  );
  const namespaces = { gs1: STANDARD_NAMESPACES.gs1 ?? 'https://gs1.org/voc/', cbv: STANDARD_NAMESPACES.cbv ?? 'https://ref.gs1.org/cbv/' };
  return { events, context: { namespaces, ignoreFields } };
}
