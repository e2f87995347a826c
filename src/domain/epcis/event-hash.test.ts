import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalNumber, canonicalTimestamp, toCanonicalDigitalLink } from './canonical-ids.ts';
import { STANDARD_NAMESPACES } from './epcis-document.ts';
import { documentEvents, eventHashId, eventPreHash, type DocumentEvents } from './event-hash.ts';
import { xmlDocumentEvents } from './xml-events.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/epcis');
const VECTORS = join(FIXTURES, 'reference-vectors');

function load(path: string): DocumentEvents {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.xml') ? xmlDocumentEvents(text) : documentEvents(JSON.parse(text));
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
}

/**
 * Upstream `.prehashes` lines that do not belong to the event at that position, although that
 * event's hash in the `.hashes` file is reproduced (so the pre-hash we compute is the one that
 * was hashed). Verified: SHA-256 of these lines is not the expected hash of the event.
 */
const STALE_PREHASH_LINES: Record<string, Record<number, string>> = {
  'epcisDocWithCustomSchemaInContext.jsonld': {
    1: 'line 2 repeats event 1 (shipping, 2017/2018, myField placed before bizTransactionList) instead of event 2 (receiving, myField2)',
  },
  'epcisDocWithDefaultSchemaInContext.jsonld': {
    1: 'line 2 is truncated: it lists only the desadv transaction, cut to "urn:epcglobal:cbv:bt:06141410734", and omits the po transaction',
  },
};

const documents = readdirSync(VECTORS).filter((f) => f.endsWith('.jsonld') || f.endsWith('.xml')).sort();

describe('EPCIS event hash ID reference vectors (RalphTro/epcis-event-hash-generator)', () => {
  for (const file of documents) {
    const base = file.replace(/\.(jsonld|xml)$/, '');
    const prehashes = join(VECTORS, `${base}.prehashes`);
    const hashes = join(VECTORS, `${base}.hashes`);

    if (existsSync(prehashes)) {
      const expected = lines(prehashes);
      const { events, context } = load(join(VECTORS, file));
      it(`${file} yields one pre-hash line per event`, () => {
        expect(events).toHaveLength(expected.length);
      });
      events.forEach((event, i) => {
        const stale = STALE_PREHASH_LINES[file]?.[i];
        const title = `${file} event ${i + 1} has the expected canonical pre-hash string`;
        if (stale) {
          // Upstream data defect, not reproducible by any correct implementation: ${stale}.
          it.fails(`${title} (upstream line is stale: ${stale})`, () => {
            expect(eventPreHash(event, context)).toBe(expected[i]);
          });
        } else {
          it(title, () => {
            expect(eventPreHash(event, context)).toBe(expected[i]);
          });
        }
      });
    }

    if (existsSync(hashes)) {
      it(`${file} gives every event its expected hash ID`, () => {
        const { events, context } = load(join(VECTORS, file));
        expect(events.map((event) => eventHashId(event, context))).toEqual(lines(hashes));
      });
    }
  }

  it('gives the XML and JSON-LD twins of a document the same hash IDs', () => {
    const twins = documents.filter((f) => f.endsWith('.xml') && documents.includes(f.replace(/\.xml$/, '.jsonld')));
    expect(twins.length).toBeGreaterThan(0);
    for (const xml of twins) {
      const fromXml = load(join(VECTORS, xml));
      const fromJson = load(join(VECTORS, xml.replace(/\.xml$/, '.jsonld')));
      expect(fromXml.events.map((e) => eventHashId(e, fromXml.context)), xml).toEqual(
        fromJson.events.map((e) => eventHashId(e, fromJson.context)),
      );
    }
  });
});

describe('equivalent representations of one event hash equally', () => {
  const dir = join(FIXTURES, 'expected-equal');
  for (const file of readdirSync(dir).sort()) {
    it(`all events in expected-equal/${file} have the same hash ID`, () => {
      const { events, context } = load(join(dir, file));
      expect(events.length).toBeGreaterThan(1);
      expect(new Set(events.map((e) => eventHashId(e, context))).size).toBe(1);
    });
  }
});

describe('the GS1 documents that carry the same event in different forms', () => {
  const dir = join(FIXTURES, 'gs1-identical-hash-id');
  const files = readdirSync(dir).sort();
  const idOf = (file: string): string[] => {
    const { events, context } = load(join(dir, file));
    return events.map((e) => eventHashId(e, context));
  };

  for (const file of files) {
    it(`all events in gs1-identical-hash-id/${file} have the same hash ID`, () => {
      const ids = idOf(file);
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(1);
    });
  }

  const base = 'event_with_identical_hash_id_1.xml';
  for (const file of files.filter((f) => f !== base)) {
    const title = `${file} gives the same hash ID as ${base}`;
    if (file === 'event_with_identical_hash_id_2.xml') {
      // Not reproducible under CBV 2.0 §8.9 as the reference implements it: file 2 states the same
      // instant with eventTimeZoneOffset -05:00 instead of -06:00, and eventTimeZoneOffset is part
      // of the pre-hash (every reference vector contains "eventTimeZoneOffset=…"). Dropping it would
      // break all reference vectors, so the two IDs legitimately differ.
      it.fails(`${title} (eventTimeZoneOffset differs: -05:00 vs -06:00)`, () => {
        expect(idOf(file)).toEqual(idOf(base));
      });
    } else {
      it(title, () => {
        expect(idOf(file)).toEqual(idOf(base));
      });
    }
  }
});

describe('canonical values', () => {
  it('converts EPC URNs to canonical GS1 Digital Link URIs with check digits', () => {
    expect(toCanonicalDigitalLink('urn:epc:id:sgtin:0614141.107346.2017')).toBe('https://id.gs1.org/01/10614141073464/21/2017');
    expect(toCanonicalDigitalLink('urn:epc:id:sscc:4012345.0000000111')).toBe('https://id.gs1.org/00/040123450000001112');
    expect(toCanonicalDigitalLink('urn:epc:id:sgln:0012345.11111.0')).toBe('https://id.gs1.org/414/0012345111112');
    expect(toCanonicalDigitalLink('urn:epc:id:pgln:5200001.00000')).toBe('https://id.gs1.org/417/5200001000008');
    expect(toCanonicalDigitalLink('urn:epc:class:lgtin:4012345.012345.998877')).toBe('https://id.gs1.org/01/04012345123456/10/998877');
  });

  it('constrains Digital Link URIs to id.gs1.org, AIs, no query string and the finest ID level', () => {
    expect(toCanonicalDigitalLink('https://example.com/gtin/4012345123456/lot/A1/ser/9?x=1')).toBe(
      'https://id.gs1.org/01/04012345123456/21/9',
    );
    expect(toCanonicalDigitalLink('http://transaction.acme.com/po/12345678')).toBeNull();
  });

  it('normalises numbers the way Python float/int formatting does', () => {
    expect(canonicalNumber('0.180000000000')).toBe('0.18');
    expect(canonicalNumber('+26.0')).toBe('26');
    expect(canonicalNumber('0.00001')).toBe('1e-05');
    expect(canonicalNumber('abc')).toBe('abc');
  });

  it('normalises timestamps to UTC milliseconds, rounding half to even', () => {
    expect(canonicalTimestamp('2019-10-21T14:58:56+02:00')).toBe('2019-10-21T12:58:56.000Z');
    expect(canonicalTimestamp('2019-10-21T14:58:56.0015Z')).toBe('2019-10-21T14:58:56.002Z');
    expect(canonicalTimestamp('2019-10-21T14:58:56.0025Z')).toBe('2019-10-21T14:58:56.002Z');
  });

  it('uses the prefixes of the standard EPCIS JSON-LD context by default', () => {
    const context = JSON.parse(readFileSync(join(FIXTURES, 'context/epcis-context.jsonld'), 'utf8')) as {
      '@context': Record<string, unknown>;
    };
    for (const [prefix, iri] of Object.entries(STANDARD_NAMESPACES)) {
      expect(context['@context'][prefix], prefix).toBe(iri);
    }
  });

  it('hashes a bare event with its own @context like the same event inside a document', () => {
    const { events, context } = load(join(VECTORS, 'ReferenceEventHashAlgorithm.jsonld'));
    const doc = JSON.parse(readFileSync(join(VECTORS, 'ReferenceEventHashAlgorithm.jsonld'), 'utf8')) as {
      '@context': string;
    };
    const event = events[0]!;
    expect(eventHashId({ ...event, '@context': doc['@context'] })).toBe(eventHashId(event, context));
  });

  it('accepts the raw JSON-LD @context of the document in place of a prepared context', () => {
    const path = join(VECTORS, 'epcisDocWithCustomSchemaInContext.jsonld');
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { '@context': unknown };
    const { events, context } = load(path);
    expect(events.map((e) => eventHashId(e, doc['@context']))).toEqual(events.map((e) => eventHashId(e, context)));
  });
});
