/**
 * Validation of EPCIS 2.0 XML documents against the GS1 XML Schema (`EPCglobal-epcis-2_0.xsd` and
 * the schemas it imports), with libxml2 compiled to WebAssembly (xmllint-wasm): no native build, no
 * network. The schema files are read once; libxml2 runs in a worker thread per document, so a
 * document that crashes or exhausts the parser cannot take the server down.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';
import type { FieldProblem } from '../shared/errors.ts';

const XSD_DIR = new URL('./schema/xsd/', import.meta.url);
const MAIN_SCHEMA = 'EPCglobal-epcis-2_0.xsd';
/** The name the document carries inside the validator; libxml2 prefixes its messages with it. */
const DOCUMENT_NAME = 'document.xml';

let schemaFiles: { main: XMLFileInfo; preload: XMLFileInfo[] } | null = null;

function schemas(): { main: XMLFileInfo; preload: XMLFileInfo[] } {
  if (!schemaFiles) {
    const all = readdirSync(XSD_DIR).filter((f) => f.endsWith('.xsd')).sort()
      .map((fileName) => ({ fileName, contents: readFileSync(new URL(fileName, XSD_DIR), 'utf8') }));
    const main = all.find((f) => f.fileName === MAIN_SCHEMA);
    if (!main) throw new Error(`${MAIN_SCHEMA} is missing from ${XSD_DIR.pathname}`);
    schemaFiles = { main, preload: all.filter((f) => f !== main) };
  }
  return schemaFiles;
}

/**
 * XSD problems of an XML document, one per libxml2 message (`field: 'document line N'`, rule `xsd`);
 * empty when the document is a valid EPCIS 2.0 `EPCISDocument`. Documents that are not well-formed
 * are reported the same way, by line. The schema also declares `EPCISCaptureJob` and `EPCISException`
 * (answers of the REST binding), which pass; {@link xmlCaptureDocumentTypeProblem} refuses them.
 *
 * @example
 * const problems = await epcisXsdProblems(readFileSync('capture.xml', 'utf8'));
 * if (problems.length) throw new AppError('validation', 'epcis.xsd', '…', problems);
 */
export async function epcisXsdProblems(xml: string, limit = 50): Promise<FieldProblem[]> {
  const { main, preload } = schemas();
  const result = await validateXML({ xml: [{ fileName: DOCUMENT_NAME, contents: xml }], schema: [main], preload });
  if (result.valid) return [];
  const problems: FieldProblem[] = [];
  for (const e of result.errors) {
    const message = e.message.trim();
    if (!message) continue;
    // "document.xml fails to validate" is the summary line, not a problem of its own.
    if (!e.loc && message.startsWith(`${DOCUMENT_NAME} fails to validate`)) continue;
    problems.push({ field: e.loc && e.loc.fileName === DOCUMENT_NAME ? `document line ${e.loc.lineNumber}` : 'document', rule: 'xsd', message });
    if (problems.length >= limit) break;
  }
  return problems.length ? problems : [{ field: 'document', rule: 'xsd', message: result.rawOutput.trim() || 'the document does not conform to the EPCIS 2.0 XML Schema' }];
}

/** Local name of the root element of a well-formed document. */
function rootElementName(xml: string): string {
  const body = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '').replace(/<!DOCTYPE[^>]*>/i, '');
  const qname = /<([^\s/>]+)/.exec(body)?.[1] ?? '';
  return qname.slice(qname.indexOf(':') + 1);
}

/**
 * For a document that passed {@link epcisXsdProblems}: a problem unless its root is `EPCISDocument`,
 * the only one of the schema's root elements that is a document to capture.
 */
export function xmlCaptureDocumentTypeProblem(xml: string): FieldProblem | null {
  const root = rootElementName(xml);
  if (root === 'EPCISDocument') return null;
  const what = root === 'EPCISCaptureJob' ? 'a capture job status (an answer of the capture interface)'
    : root === 'EPCISException' ? 'an error answer of the REST interface' : 'not an EPCIS document';
  return { field: 'document', rule: 'document_type', message: `${root} is ${what}, not a document to capture; send an EPCISDocument` };
}
