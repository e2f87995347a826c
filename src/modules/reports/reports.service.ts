/**
 * Reports module (Order No. 71 Art. 9, 12): enterprise monthly and annual implementation
 * reports, prefilled from the quota ledger and the flows and sealed with Ed25519; review by the
 * receiving departments; compilation county → prefecture → province → ministries; the
 * reporting calendar with reminders and overdue alerts; exports; the national view.
 */
export { prefillEnterpriseReport, submitEnterpriseReport, requirePeriod, type Prefill, type SubmitInput } from './enterprise-reports.service.ts';
export { decideReport } from './review.service.ts';
export { buildCompilation, previewCompilation, submitCompilation, type CompilationPreview } from './compilations.service.ts';
export { getReport, listReports, findVisibleReport, toSummary, type ReportDetail, type ReportSummary } from './report-queries.service.ts';
export { reportOverview, executionSeries, type Overview, type UnitStatus } from './overview.service.ts';
export { runReminderSweep, listReportAlerts } from './reminders.service.ts';
export { myNotices, markNoticeRead } from './outbox.service.ts';
export { activeSigningKey, publishedKeys, verifyReportDocument } from './signing-keys.service.ts';
export { signedDocument } from './report-store.ts';
export { loadUnitTree } from './report-units.ts';
