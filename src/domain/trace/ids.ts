/**
 * Identifiers Ytterby mints for enterprises without GS1 keys, in the GS1 Digital Link style:
 * a fixed identity host (so an identifier never changes with the server that resolves it) and a
 * path any Ytterby server answers (`/l/…` is the public verification page behind the QR code).
 */
export const YTB_NAMESPACE = 'https://ns.ytterby.cn/epcis/';
export const ID_HOST = 'https://id.ytterby.cn';

const CREDIT = '[0-9A-HJ-NPQRTUWXY]{18}';
const SEGMENT = "[A-Za-z0-9!'()*+,.:;=_-]{1,40}";
const MINTED_LOT = new RegExp(`^${ID_HOST}/l/(${CREDIT})/(${SEGMENT})/10/(${SEGMENT})$`);
const PARTY = new RegExp(`^${ID_HOST}/party/(${CREDIT})$`);

export interface MintedLot { creditCode: string; productCode: string; lotNumber: string }

export const mintedLotUri = (l: MintedLot): string => `${ID_HOST}/l/${l.creditCode}/${l.productCode}/10/${l.lotNumber}`;

/** @example parseMintedLot('https://id.ytterby.cn/l/91150200MA0N000017/OX-PRND/10/A1') // { creditCode: '91150200MA0N000017', productCode: 'OX-PRND', lotNumber: 'A1' } */
export function parseMintedLot(uri: string): MintedLot | null {
  const m = MINTED_LOT.exec(uri);
  return m ? { creditCode: m[1]!, productCode: m[2]!, lotNumber: m[3]! } : null;
}

/** A lot number is safe in a URI path segment and short enough for a QR code. */
export const isLotNumber = (value: string): boolean => new RegExp(`^${SEGMENT}$`).test(value);
export const isSiteCode = isLotNumber;

export const partyUri = (creditCode: string): string => `${ID_HOST}/party/${creditCode}`;
export const parsePartyUri = (uri: string): string | null => PARTY.exec(uri)?.[1] ?? null;

export const locationUri = (creditCode: string, siteCode: string): string => `${ID_HOST}/loc/${creditCode}/${siteCode}`;

/** The path of a minted lot on any Ytterby server (the QR code's target). */
export const verificationPath = (l: MintedLot): string => `/l/${l.creditCode}/${l.productCode}/10/${l.lotNumber}`;
