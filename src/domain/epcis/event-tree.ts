/**
 * Turns a JSON-binding EPCIS event into the name/value/children tree that the CBV 2.0 §8.9
 * event hash is computed over. The tree follows the XML data model (list wrappers with `epc`,
 * `quantityElement`, `bizTransaction` … children; `readPoint`/`bizLocation` with an `id` child),
 * so the JSON and XML bindings of one event give the same tree. Extension names are expanded to
 * `{namespace}local`; bare CBV words and GS1 CURIE values are expanded to GS1 Web URIs.
 */
import { expandBareWord, type BareWordVocabulary } from './canonical-ids.ts';
import {
  expandKey,
  isJsonObject,
  type EpcisEvent,
  type EventHashContext,
} from './epcis-document.ts';

/** One element (or attribute) of an event: name, text value, child elements. */
export interface HashNode {
  name: string;
  value: string;
  children: HashNode[];
}

/** Never part of any node: text holders and comments (CBV 2.0 §8.9: comments are not hashed). */
const SKIPPED_KEYS = new Set(['#text', 'comment', 'rdfs:comment', '@context']);
/** Top-level fields excluded from the hash (the type becomes `eventType=`). */
const SKIPPED_EVENT_KEYS = new Set(['type', 'eventID', 'recordTime', 'errorDeclaration']);

function bareWordVocabulary(name: string, parent: string): BareWordVocabulary | null {
  if (name === 'bizStep') return 'BizStep';
  if (name === 'disposition') return 'Disp';
  if (parent === 'persistentDisposition' && (name === 'set' || name === 'unset')) return 'Disp';
  if (parent === 'bizTransactionList' && name === 'type') return 'BTT';
  if ((parent === 'sourceList' || parent === 'destinationList') && name === 'type') return 'SDT';
  if (parent === 'errorDeclaration' && name === 'reason') return 'ER';
  if (parent === 'sensorReport' && (name === 'type' || name === 'exception')) return 'gs1';
  if (parent === 'sensorReport' && name === 'component') return 'Comp';
  return null;
}

/** Expands `gs1:Temperature`-style CURIE values, but only for GS1 vocabularies (as the reference does). */
function expandValueCurie(value: string, namespaces: Readonly<Record<string, string>>): string {
  const m = /^([A-Za-z][\w.-]*):(.*)$/s.exec(value);
  if (!m) return value;
  const ns = namespaces[m[1] ?? ''];
  if (ns === undefined || !(ns.startsWith('https://ref.gs1.org') || ns.startsWith('https://gs1.org'))) return value;
  return ns + (m[2] ?? '');
}

function scalarText(name: string, parent: string, value: string | number | boolean, ctx: EventHashContext): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  const vocabulary = bareWordVocabulary(name, parent);
  const expanded = expandValueCurie(value, ctx.namespaces);
  return vocabulary === null ? expanded : expandBareWord(expanded, vocabulary, ctx.namespaces);
}

function toNodes(name: string, value: unknown, parent: string, ctx: EventHashContext): HashNode[] {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'object') return [];
  if (value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => toNodes(name, item, parent, ctx));
  if (isJsonObject(value)) {
    const text = value['#text'];
    const children = Object.entries(value)
      .filter(([key]) => !SKIPPED_KEYS.has(key))
      .flatMap(([key, child]) => toNodes(expandKey(key, ctx.namespaces), child, name, ctx));
    return [{ name, value: typeof text === 'string' ? text : '', children: correctStructure(children) }];
  }
  if (typeof value === 'object') return []; // not JSON data (Date, Map, …): outside the EPCIS JSON binding
  return [{ name, value: scalarText(name, parent, value, ctx), children: [] }];
}

/** Gives a list item the element name the XML binding uses for it. */
function listItem(listName: string, node: HashNode): HashNode {
  const name = listName.slice(0, -'List'.length);
  if (name === 'inputEPC' || name === 'outputEPC' || name === 'epc') return { ...node, name: 'epc' };
  if (['inputQuantity', 'outputQuantity', 'childQuantity'].includes(name) || (name === 'quantity' && node.children.length > 0)) {
    return { ...node, name: 'quantityElement' };
  }
  if (name === 'bizTransaction' || name === 'source' || name === 'destination') {
    const id = node.children.find((c) => c.name === name);
    if (id) return { name, value: id.value, children: node.children.filter((c) => c !== id) };
  }
  return { ...node, name };
}

/**
 * JSON lists arrive as repeated nodes named after the list; the XML model has one list
 * element with named items. Empty lists simply produce no node.
 */
function correctStructure(children: HashNode[]): HashNode[] {
  const out: HashNode[] = [];
  const lists = new Map<string, HashNode>();
  for (const child of children) {
    const isList = child.name.endsWith('List') && !child.name.startsWith('{');
    if (isList || child.name === 'childEPCs') {
      let list = lists.get(child.name);
      if (!list) {
        list = { name: child.name, value: '', children: [] };
        lists.set(child.name, list);
        out.push(list);
      }
      list.children.push(isList ? listItem(child.name, child) : { name: 'epc', value: child.value, children: [] });
    } else if ((child.name === 'readPoint' || child.name === 'bizLocation') && child.children.length === 0) {
      out.push({ name: child.name, value: '', children: [{ name: 'id', value: child.value, children: [] }] });
    } else {
      out.push(child);
    }
  }
  return out;
}

/**
 * The hash tree of one JSON event: root named after the event type, without the fields
 * CBV 2.0 §8.9 leaves out (eventID, recordTime, errorDeclaration, comments, ignoreFields).
 *
 * @example
 * eventTree({ type: 'ObjectEvent', epcList: ['urn:epc:id:sgtin:0614141.107346.2017'] }, DEFAULT_HASH_CONTEXT)
 * // { name: 'ObjectEvent', value: '', children: [{ name: 'epcList', value: '', children: [{ name: 'epc', … }] }] }
 */
export function eventTree(event: EpcisEvent, ctx: EventHashContext): HashNode {
  const children = Object.entries(event)
    .filter(([key]) => !SKIPPED_KEYS.has(key) && !SKIPPED_EVENT_KEYS.has(key))
    .map(([key, value]) => [expandKey(key, ctx.namespaces), value] as const)
    .filter(([name]) => !ctx.ignoreFields.has(name))
    .flatMap(([name, value]) => toNodes(name, value, event.type, ctx));
  return { name: event.type, value: '', children: correctStructure(children) };
}
