/**
 * CBV 2.0 §8.9 "EPCIS Event Hash ID": the canonical pre-hash string of an EPCIS event and its
 * `ni:///sha-256;<hex>?ver=CBV2.0` hash ID. Fields are concatenated without separators in the
 * canonical property order (repeated values sorted), then everything not in that order (business
 * transactions, sources, destinations, ILMD, user extensions) sorted lexically. Reproduces the
 * vectors of the reference implementation RalphTro/epcis-event-hash-generator (MIT).
 */
import { createHash } from 'node:crypto';
import { canonicalTimestamp, canonicalValue } from './canonical-ids.ts';
import {
  DEFAULT_HASH_CONTEXT,
  isEventHashContext,
  namespacesFromJsonLdContext,
  type EpcisEvent,
  type EventHashContext,
} from './epcis-document.ts';
import { eventTree, type HashNode } from './event-tree.ts';

export { documentEvents, type DocumentEvents, type EpcisEvent, type EventHashContext } from './epcis-document.ts';

/** A field name and, for structured fields, the order of its children. */
type PropertyOrder = ReadonlyArray<readonly [string, PropertyOrder | null]>;

const QUANTITY: PropertyOrder = [['quantityElement', [['epcClass', null], ['quantity', null], ['uom', null]]]];
const EPCS: PropertyOrder = [['epc', null]];

/** Canonical property order, CBV 2.0 §8.9 (fields after `sensorElementList` are hashed as "the rest", sorted). */
const PROPERTY_ORDER: PropertyOrder = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['certificationInfo', null],
  ['parentID', null],
  ['epcList', EPCS],
  ['inputEPCList', EPCS],
  ['childEPCs', EPCS],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', EPCS],
  ['outputQuantityList', QUANTITY],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  ['persistentDisposition', [['set', null], ['unset', null]]],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          [
            'sensorMetadata',
            ['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules'].map(
              (n) => [n, null] as const,
            ),
          ],
          [
            'sensorReport',
            [
              'type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'time',
              'microorganism', 'chemicalSubstance', 'value', 'component', 'stringValue', 'booleanValue',
              'hexBinaryValue', 'uriValue', 'minValue', 'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue',
              'uom', 'coordinateReferenceSystem',
            ].map((n) => [n, null] as const),
          ],
        ],
      ],
    ],
  ],
];

/** Elements whose `type` child is written first (CBV 2.0: type, then identifier). */
const TYPED_IDENTIFIERS = new Set(['bizTransaction', 'source', 'destination']);

function isTimeField(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.includes('time') && !lower.includes('offset');
}

function valueText(node: HashNode, orderedField: boolean): string {
  const text = node.value.trim();
  if (!text) return '';
  const canonical = orderedField && isTimeField(node.name) ? canonicalTimestamp(text) : canonicalValue(text);
  return canonical ? `=${canonical}` : '';
}

/** Fields outside the canonical order: `name=value` plus children, all sorted. */
function restToString(nodes: readonly HashNode[]): string {
  const parts = nodes.map((node) => {
    if (TYPED_IDENTIFIERS.has(node.name)) {
      const types = node.children.filter((c) => c.name === 'type');
      const others = node.children.filter((c) => c.name !== 'type');
      return restToString(types) + node.name + valueText(node, false) + restToString(others);
    }
    return node.name + valueText(node, false) + restToString(node.children);
  });
  return parts.sort(compareCodePoints).join('');
}

function compareCodePoints(a: string, b: string): number {
  // Byte/code-point order like Python's str sort (not locale order).
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * User extensions nested in a structured standard field (sensorMetadata, readPoint, …) are
 * appended right after that field's ordered content. As in the reference implementation this
 * applies to names of the form `{…/}local` in lists of more than one element, and never at the
 * event's top level (recognised by an `eventTime`/`action` field), where they join "the rest".
 */
function takeNestedExtensions(list: HashNode[]): HashNode[] {
  if (list.length <= 1) return [];
  if (list.some((c) => c.name.includes('eventTime') || c.name.includes('action'))) return [];
  const extensions = list.filter((c) => c.name.includes('{') && c.name.includes('/}'));
  for (const ext of extensions) list.splice(list.indexOf(ext), 1);
  return extensions;
}

/**
 * Writes the fields of `list` named in `order`, in that order, each field's values sorted.
 * Consumed nodes are removed from `list` (a node stays while it still has unconsumed children),
 * so that afterwards `list` holds exactly what is hashed as "the rest".
 */
function orderedToString(list: HashNode[], order: PropertyOrder): string {
  const extensions = takeNestedExtensions(list);
  let out = '';
  for (const [name, childOrder] of order) {
    const values: string[] = [];
    for (const node of list.filter((c) => c.name === name)) {
      const nested = childOrder ? orderedToString(node.children, childOrder) : '';
      const text = valueText(node, true);
      if (text || nested) values.push(node.name + text + nested);
      if (node.children.length === 0) list.splice(list.indexOf(node), 1);
    }
    out += values.sort(compareCodePoints).join('');
  }
  return extensions.length > 0 ? out + restToString(extensions) : out;
}

/**
 * Either a prepared context ({@link documentEvents}, `xmlDocumentEvents`) or the raw JSON-LD
 * `@context` value of the document the event came from.
 */
export type HashContextInput = EventHashContext | unknown;

function resolveContext(event: EpcisEvent, context: HashContextInput): EventHashContext {
  if (isEventHashContext(context)) return context;
  const jsonLd = context ?? event['@context'];
  return jsonLd === undefined ? DEFAULT_HASH_CONTEXT : { namespaces: namespacesFromJsonLdContext(jsonLd), ignoreFields: new Set() };
}

/**
 * The canonical pre-hash string of one event (CBV 2.0 §8.9), e.g.
 * `eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00epcListepc=…`.
 * Pass the document's context (from {@link documentEvents} or `xmlDocumentEvents`, or simply the
 * document's raw `@context` value) for extension prefixes; without one, the event's own
 * `@context` or the standard EPCIS prefixes are used.
 *
 * @example
 * eventPreHash({ type: 'ObjectEvent', eventTime: '2020-03-04T11:00:30+01:00', eventTimeZoneOffset: '+01:00',
 *   epcList: ['urn:epc:id:sscc:4012345.0000000111'], action: 'OBSERVE', bizStep: 'departing' })
 * // 'eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00'
 * //   + 'epcListepc=https://id.gs1.org/00/040123450000001112action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departing'
 */
export function eventPreHash(event: EpcisEvent, context?: HashContextInput): string {
  const tree = eventTree(event, resolveContext(event, context));
  const ordered = orderedToString(tree.children, PROPERTY_ORDER);
  return `eventType=${tree.name}${ordered}${restToString(tree.children)}`;
}

/**
 * The event hash ID `ni:///sha-256;<hex>?ver=CBV2.0` (SHA-256 over the UTF-8 pre-hash string).
 *
 * @example
 * const { events, context } = documentEvents(doc);
 * eventHashId(events[0]!, context) // 'ni:///sha-256;6f2b…?ver=CBV2.0'
 */
export function eventHashId(event: EpcisEvent, context?: HashContextInput): string {
  const digest = createHash('sha256').update(eventPreHash(event, context), 'utf8').digest('hex');
  return `ni:///sha-256;${digest}?ver=CBV2.0`;
}
