/**
 * Types and calls of the traceability API: EPCIS 2.0 under /epcis, and lots, genealogy, closings,
 * mass balance, stocktakes, alerts and spreadsheet uploads under /api/trace. Masses are decimal
 * strings in kilograms (fields ending in `Kg`), REO beside them (`…ReoKg`).
 */
import { ApiError, api, notifyUnauthorized, requestUrl, toSearch, type Query } from './client';
import type { Problem, ProblemFieldError } from './types';

export interface Party { id: string; nameZh: string; nameEn: string | null; provinceCode: string }
export type OriginKind = 'mined' | 'imported' | 'transformed';

export interface Holding { enterpriseId: string; nameZh: string; nameEn: string | null; kg: string }

export interface Lot {
  id: string; uri: string; productCode: string; productNameZh: string; productNameEn: string; category: string;
  producer: Party; originKind: OriginKind; originDivisionCode: string | null; originCountry: string | null;
  producedKg: string; producedReoKg: string; producedAt: string; withinQuota: boolean | null; holdings: Holding[];
}

export interface Movement {
  kind: string; kg: string; reoKg: string; enterpriseId: string; enterpriseNameZh: string; enterpriseNameEn: string | null;
  counterpartyNameZh: string | null; counterpartyNameEn: string | null; eventId: string | null; eventTime: string; reversal?: boolean;
}
export type LotDetail = Lot & { movements: Movement[] };

export type Direction = 'upstream' | 'downstream';

export interface GenealogyNode {
  lotId: string; uri: string; productCode: string; productNameZh: string; productNameEn: string; category: string;
  producer: Party | null; originKind: OriginKind; originDivisionCode: string | null; originCountry: string | null;
  producedKg: string | null; producedReoKg: string | null;
  quota: { year: number; indicator: string; ledgerEntryId: string; withinQuota: boolean | null } | null;
  redacted: boolean; hasMoreUpstream: boolean; hasMoreDownstream: boolean;
  shipments: { toNameZh: string | null; toNameEn: string | null; kg: string | null; exportCountry: string | null; status: string }[];
}
export interface GenealogyEdge {
  from: string; to: string; eventId: string | null;
  parentKg: string | null; parentReoKg: string | null; childKg: string | null; childReoKg: string | null;
}
export interface Genealogy {
  root: string; direction: Direction; complete: boolean; problems: { lot: string; reason: string }[];
  nodes: GenealogyNode[]; edges: GenealogyEdge[];
}

export const CLOSING_STATUSES = ['closed', 'late', 'missing', 'open'] as const;
export type ClosingStatus = (typeof CLOSING_STATUSES)[number];
export interface ClosingItem {
  enterpriseId: string; nameZh: string; nameEn: string | null; divisionCode: string; provinceCode: string;
  status: ClosingStatus; closedAt: string | null; closedBy: string | null;
}
export interface Closings { year: number; month: number; deadline: string; items: ClosingItem[] }

export interface MassBalanceRow {
  productCode: string; productNameZh: string; productNameEn: string;
  openingKg: string; receiptsKg: string; productionKg: string; useKg: string; shipmentsKg: string; closingKg: string;
  openingReoKg: string; closingReoKg: string; declaredKg: string | null; differenceKg: string | null; withinTolerance: boolean | null;
}
export interface ClosingResult { enterpriseId: string; year: number; month: number; deadline: string; closedAt: string; late: boolean; massBalance: MassBalanceRow[] }

export const TRACE_ALERT_KINDS = ['undesignated_activity', 'receipt_mismatch', 'mass_balance_difference', 'shipment_unreceived', 'closing_missing'] as const;
export type TraceAlertKind = (typeof TRACE_ALERT_KINDS)[number];
export interface TraceAlert {
  id: string; kind: TraceAlertKind | string; enterpriseId: string; enterpriseNameZh: string; enterpriseNameEn: string | null;
  year: number | null; month: number | null; eventId: string | null; details: Record<string, unknown>; raisedAt: string;
}

export interface CaptureJob {
  captureID: string; running: boolean; success: boolean; errors: unknown[]; eventCount: number; storedCount: number;
  duplicateCount: number; enterpriseId: string; submittedBy: string; submittedAt: string; finishedAt: string | null;
}

/** An error of a spreadsheet upload: where in the workbook, which rule. */
export type UploadError = ProblemFieldError & { row?: number | null; column?: string | null; sheet?: string | null };

export const EVENT_TYPES = ['ObjectEvent', 'TransformationEvent', 'AggregationEvent', 'TransactionEvent', 'AssociationEvent'] as const;
/** The CBV 2.0 business steps the rare-earth flows use (docs/traceability.md), first; any other may be typed. */
export const BIZ_STEPS = ['commissioning', 'shipping', 'receiving', 'transforming', 'inspecting', 'storing', 'packing', 'unpacking', 'decommissioning', 'destroying'] as const;

/** An EPCIS event as the query answers it (JSON-LD); only the common fields are typed. */
export interface EpcisEvent {
  type: string; eventID?: string; eventTime: string; eventTimeZoneOffset?: string; recordTime?: string; action?: string;
  bizStep?: string; disposition?: string; readPoint?: { id: string }; bizLocation?: { id: string };
  epcList?: string[]; quantityList?: { epcClass: string; quantity?: number; uom?: string }[];
  inputQuantityList?: { epcClass: string; quantity?: number; uom?: string }[];
  outputQuantityList?: { epcClass: string; quantity?: number; uom?: string }[];
  [key: string]: unknown;
}

export const traceApi = {
  lots: (query: Query) => api.get<{ items: Lot[]; total: number }>('/trace/lots', query),
  lot: (uri: string) => api.get<LotDetail>('/trace/lots/lookup', { uri }),
  genealogy: (lot: string, direction: Direction, depth: number) => api.get<Genealogy>('/trace/genealogy', { lot, direction, depth }),
  mint: (body: { productCode: string; lotNumber?: string | null }) => api.post<{ uri: string; verifyUrl: string; qrSvg: string }>('/trace/lots/mint', body),
  closings: (query: Query) => api.get<Closings>('/trace/closings', query),
  closeMonth: (year: number, month: number) => api.post<ClosingResult>('/trace/closings', { year, month }),
  massBalance: (query: Query) => api.get<{ items: MassBalanceRow[] }>('/trace/mass-balance', query),
  stocktake: (body: { year: number; month: number; productCode: string; closingKg: string }) => api.post<unknown>('/trace/stocktakes', body),
  alerts: (query: Query) => api.get<TraceAlert[]>('/trace/alerts', query),
  captureJobs: async () => (await requestUrl<CaptureJob[]>('GET', '/epcis/capture')).data,
  /** One page of the EPCIS query; the next page's token from the Link header (rel="next"). */
  events: async (query: Query): Promise<{ events: EpcisEvent[]; nextPageToken: string | null }> => {
    const { data, headers } = await requestUrl<{ epcisBody?: { queryResults?: { resultsBody?: { eventList?: EpcisEvent[] } } } }>(
      'GET', `/epcis/events${toSearch(query)}`, { accept: 'application/ld+json, application/json' },
    );
    return { events: data?.epcisBody?.queryResults?.resultsBody?.eventList ?? [], nextPageToken: nextPageToken(headers.get('link')) };
  },
};

/** The nextPageToken of a `Link: </epcis/events?…&nextPageToken=…>; rel="next"` header. */
export function nextPageToken(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (!m) continue;
    const url = new URL(m[1]!, 'http://x');
    return url.searchParams.get('nextPageToken');
  }
  return null;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function templateUrl(lang: string): string {
  return `/api/trace/template.xlsx${toSearch({ lang: lang.startsWith('en') ? 'en' : 'zh-CN' })}`;
}

/**
 * Sends a filled workbook (the file's bytes as the body) and reports the upload's progress;
 * answers the capture job (202) or throws an ApiError whose problem lists the errors by row and column (422).
 */
export function uploadWorkbook(file: Blob, onProgress: (percent: number) => void): Promise<CaptureJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/trace/uploads');
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', XLSX_TYPE);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, { title: 'network' }));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as CaptureJob);
        return;
      }
      if (xhr.status === 401) notifyUnauthorized();
      const problem: Problem = data && typeof data === 'object' ? (data as Problem) : { status: xhr.status, title: xhr.statusText };
      reject(new ApiError(xhr.status, problem));
    };
    xhr.send(file);
  });
}

/** The upload errors of a problem document (which carry row and column besides field and rule). */
export function uploadErrors(error: unknown): UploadError[] {
  if (!(error instanceof ApiError)) return [];
  return (error.problem.errors ?? []) as UploadError[];
}

/** The public verification path (/l/…) of a lot URI minted by Ytterby, or null for other identifiers. */
export function verificationPath(uri: string): string | null {
  const m = /^https:\/\/id\.ytterby\.cn(\/l\/[^/?#]+\/[^/?#]+\/10\/[^?#]+)$/.exec(uri);
  return m ? m[1]! : null;
}

/** The last, most telling part of a lot URI (its lot number), for compact labels. */
export function lotNumberOf(uri: string): string {
  const gs1 = /\/10\/([^/?#]+)$/.exec(uri);
  if (gs1) return decodeURIComponent(gs1[1]!);
  const lgtin = /^urn:epc:class:lgtin:[^.]+\.[^.]+\.(.+)$/.exec(uri);
  if (lgtin) return lgtin[1]!;
  return uri.length > 24 ? `…${uri.slice(-22)}` : uri;
}
