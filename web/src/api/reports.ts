/**
 * Types and calls of the reports API (/api/reports/…): implementation reports of Order No. 71
 * Art. 9 and 12 — enterprise reports prefilled from the quota ledger and the flows, review by
 * the receiving department, compilations upward, the overview, and the sealed documents.
 * Masses are integer grams as decimal strings (fields ending in `Grams`).
 */
import { ApiError, api, notifyUnauthorized, toSearch } from './client';
import type { Indicator } from './quota';
import type { Problem } from './types';

export const REPORT_LEVELS = ['enterprise', 'county', 'prefecture', 'province', 'national'] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];
export const REPORT_STATUSES = ['submitted', 'accepted', 'returned', 'superseded'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const UNIT_STATUSES = ['missing', 'submitted', 'accepted', 'returned'] as const;
export type UnitReportStatus = (typeof UNIT_STATUSES)[number];
export type ExplanationReason = 'threshold_crossed' | 'differs_from_flows';
export type ListedReason = 'missing' | 'returned' | 'late';

export interface IndicatorLine {
  indicator: Indicator;
  allocatedReoGrams: string;
  periodReoGrams: string;
  yearToDateReoGrams: string;
  remainingReoGrams: string;
  flowReoGrams: string;
  utilisationPercent: string | null;
  thresholdsCrossed: number[];
  explanation: string | null;
}

export const MASS_FIELDS = ['opening', 'receipts', 'production', 'use', 'shipments', 'closing'] as const;
export type MassField = (typeof MASS_FIELDS)[number];
/** A product's mass balance: product grams and REO grams per term (`openingGrams`, `openingReoGrams` …). */
export type MassBalanceLine = { productCode: string; productNameZh: string; productNameEn: string } & Record<string, string>;

export interface ClosingSummary { months: number; closed: number; late: number; missing: number; open: number }

export interface ReportSubject {
  level: ReportLevel; enterpriseId: string | null; creditCode: string | null; divisionCode: string | null; nameZh: string; nameEn: string;
}
export interface Constituent {
  reportId: string; version: number; level: ReportLevel; key: string; nameZh: string; nameEn: string; contentHash: string; submittedAt: string; late: boolean;
}
export interface ListedUnit { level: ReportLevel; key: string; nameZh: string; nameEn: string; reason: ListedReason; viaKey: string | null }
export interface CarriedExplanation { level: ReportLevel; key: string; nameZh: string; nameEn?: string; indicator: Indicator | null; text: string }

export interface ReportContent {
  schema: string;
  period: string;
  subject: ReportSubject;
  lines: IndicatorLine[];
  massBalance: MassBalanceLine[];
  closing: ClosingSummary;
  remarks: string | null;
  enterpriseReports: number;
  constituents: Constituent[];
  listed: ListedUnit[];
  explanations: CarriedExplanation[];
}

export interface ReportSummary {
  id: string; level: ReportLevel; subjectKey: string; nameZh: string; nameEn: string; creditCode: string | null; divisionCode: string | null;
  period: string; periodKind: string; version: number; status: ReportStatus; late: boolean; dueDate: string;
  submittedBy: string; submittedAt: string; reviewedBy: string | null; reviewedAt: string | null; returnReason: string | null;
  recipientDivisionCode: string | null; contentHash: string; enterpriseReports: number;
}

export interface Seal {
  reportId: string; version: number; replacesReportId: string | null; period: string; level: string; subjectKey: string; contentHash: string;
  submittedBy: string; submittedByName: string; submittedAt: string; keyId: string; algorithm: 'Ed25519';
}

export interface ReportDetail extends ReportSummary {
  content: ReportContent; seal: Seal; signature: string; keyId: string; replacesReportId: string | null; correctionReason: string | null;
  versions: ReportSummary[]; canReview: boolean;
}

export interface Prefill {
  content: ReportContent;
  explanationsRequired: { index: number; indicator: string; reason: ExplanationReason | string }[];
  dueDate: string;
  latest: { id: string; version: number; status: ReportStatus | string; returnReason: string | null } | null;
}

export interface EnterpriseSubmission {
  enterpriseId: string;
  period: string;
  lines: { indicator: string; explanation: string | null }[];
  remarks: string | null;
  replacesReportId?: string | null;
  correctionReason?: string | null;
}

export interface Submitted { unchanged: boolean; report: ReportSummary }

export interface PendingReview { reportId: string; level: string; key: string; nameZh: string; nameEn: string }
export interface CompilationPreview { content: ReportContent; pending: PendingReview[]; dueDate: string }

export interface UnitStatus {
  level: ReportLevel; key: string; nameZh: string; nameEn: string; divisionCode: string | null; creditCode: string | null; parentKey: string | null;
  dueDate: string; status: UnitReportStatus; overdue: boolean; late: boolean;
  reportId: string | null; version: number | null; submittedAt: string | null; returnReason: string | null;
  lines: IndicatorLine[] | null; enterpriseReports: number | null; childCount: number;
}
export interface Overview { period: string; unit: UnitStatus; children: UnitStatus[]; childrenTotal: IndicatorLine[]; outstanding: UnitStatus[]; late: UnitStatus[] }

export interface ExecutionMonth { month: number; source: 'compilation' | 'enterprise_reports' | 'none'; enterpriseReports: number; lines: IndicatorLine[] }
export interface Execution { year: number; unitKey: string; months: ExecutionMonth[] }

export interface ReportAlert {
  id: string; kind: string; level: string; subjectKey: string; period: string; divisionCode: string | null; dueDate: string; raisedAt: string; resolvedAt: string | null;
}
export interface ReportNotice { id: string; topic: string; subjectZh: string; subjectEn: string; payload: unknown; createdAt: string; readAt: string | null }

export interface VerifyResult { valid: boolean; reason?: string; message?: string; seal?: Seal }

/** The national unit's key in the overview and in compilations. */
export const NATIONAL_KEY = 'CN';

export const reportsApi = {
  prefill: (enterpriseId: string, period: string) => api.get<Prefill>('/reports/prefill', { enterpriseId, period }),
  submitEnterprise: (body: EnterpriseSubmission) => api.post<Submitted>('/reports/enterprise', body),
  list: (query: { period?: string; level?: ReportLevel; status?: ReportStatus; enterpriseId?: string; divisionCode?: string; inbox?: boolean; includeSuperseded?: boolean }) =>
    api.get<ReportSummary[]>('/reports', query),
  get: (id: string) => api.get<ReportDetail>(`/reports/${encodeURIComponent(id)}`),
  accept: (id: string) => api.post<ReportSummary>(`/reports/${encodeURIComponent(id)}/accept`),
  returnReport: (id: string, reason: string) => api.post<ReportSummary>(`/reports/${encodeURIComponent(id)}/return`, { reason }),
  preview: (period: string) => api.get<CompilationPreview>('/reports/compilations/preview', { period }),
  compile: (period: string, remarks: string | null) => api.post<Submitted>('/reports/compilations', { period, remarks }),
  overview: (period: string, divisionCode?: string) => api.get<Overview>('/reports/overview', { period, divisionCode }),
  execution: (year: number, divisionCode?: string) => api.get<Execution>('/reports/execution', { year, divisionCode }),
  alerts: (open?: boolean) => api.get<ReportAlert[]>('/reports/alerts', { open }),
  notices: (unread?: boolean) => api.get<ReportNotice[]>('/reports/notices', { unread }),
  markNoticeRead: (id: string) => api.post<void>(`/reports/notices/${encodeURIComponent(id)}/read`),
};

export type DownloadKind = 'pdf' | 'xlsx' | 'signed';

/** Where a report's document downloads from: PDF and XLSX in a language, or the signed JSON. */
export function downloadUrl(id: string, kind: DownloadKind, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  const base = `/api/reports/${encodeURIComponent(id)}/${kind}`;
  return kind === 'signed' ? base : `${base}${toSearch({ lang })}`;
}

/**
 * Checks a downloaded report against the published keys (public: no session needed). A PDF
 * goes as its bytes (the signed JSON travels inside it); anything else is read as the signed JSON.
 */
export async function verifyReportFile(file: Blob & { name?: string }): Promise<VerifyResult> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const isPdf = bytes.length >= 4 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46; // %PDF
  let body: BodyInit;
  let contentType: string;
  if (isPdf) {
    body = bytes;
    contentType = 'application/pdf';
  } else {
    const text = new TextDecoder('utf-8').decode(bytes);
    try {
      JSON.parse(text);
    } catch {
      throw new ApiError(422, { status: 422, code: 'reports.verify_unreadable', title: 'unreadable' });
    }
    body = text;
    contentType = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch('/api/reports/verify', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'content-type': contentType }, body });
  } catch (e) {
    throw new ApiError(0, { title: 'network', detail: e instanceof Error ? e.message : String(e) });
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401) notifyUnauthorized();
    throw new ApiError(res.status, data && typeof data === 'object' ? (data as Problem) : { status: res.status, title: res.statusText });
  }
  return data as VerifyResult;
}
