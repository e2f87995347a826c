/** Reading Ytterby's extension fields and CBV words in whichever spelling a capturing system used. */
import { canonicalValue, expandBareWord, toCanonicalDigitalLink, type BareWordVocabulary } from '../epcis/canonical-ids.ts';
import { expandKey } from '../epcis/epcis-document.ts';
import { YTB_NAMESPACE } from './ids.ts';

/**
 * A field in the Ytterby namespace: `ytb:assay` (any prefix bound to the namespace), Clark
 * `{https://ns.ytterby.cn/epcis/}assay` (the XML binding), or a plain key inside an extension.
 */
export function ytterbyField(holder: Record<string, unknown>, local: string, namespaces: Readonly<Record<string, string>>): unknown {
  if (local in holder) return holder[local];
  const wanted = `{${YTB_NAMESPACE}}${local}`;
  for (const [key, value] of Object.entries(holder)) if (expandKey(key, namespaces) === wanted || key === wanted) return value;
  return undefined;
}

/** Whether a bizStep / disposition / type value is the given CBV word (bare, URN or Web URI). */
export function isVocabulary(value: string, vocabulary: BareWordVocabulary, word: string): boolean {
  return canonicalValue(expandBareWord(value, vocabulary)) === `https://ref.gs1.org/cbv/${vocabulary}-${word}`;
}

/** EPCs and lot identifiers in canonical form: GS1 keys as Digital Link, anything else (Ytterby's minted URIs) as it is. */
export const canonicalEpc = (value: string): string => toCanonicalDigitalLink(value) ?? value;
