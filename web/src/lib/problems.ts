import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import type { ProblemFieldError } from '../api/types';

type NamePath = (string | number)[];

/** "licences.0.validTo" → ['licences', 0, 'validTo']; also accepts "licences[0].validTo" and "/licences/0/validTo". */
export function fieldPath(field: string): NamePath {
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^\//, '')
    .split(/[./]/)
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Eligibility problems name what is wrong in English ("no mining_licence",
 * "safety_licence expired on 2025-08-31", "no current designation for mining (ion_adsorption) (Art. 7)"):
 * the same in words of the console, or null when the message has another shape.
 */
function eligibilityMessage(t: TFunction, e: ProblemFieldError): string | null {
  const licence = (kind: string) => t(`enums.licenceKind.${kind}`, { defaultValue: kind.replace(/_/g, ' ') });
  const message = (e.message ?? '').trim();
  if (e.rule === 'licence_missing') {
    const m = /^no ([a-z_]+)$/.exec(message);
    return m ? t('problems.eligibility.licenceMissing', { licence: licence(m[1]!) }) : null;
  }
  if (e.rule === 'licence_expired') {
    const m = /^([a-z_]+) expired(?: on (\d{4}-\d{2}-\d{2}))?/.exec(message);
    if (!m) return null;
    return m[2]
      ? t('problems.eligibility.licenceExpired', { licence: licence(m[1]!), date: m[2] })
      : t('problems.eligibility.licenceExpiredUndated', { licence: licence(m[1]!) });
  }
  if (e.rule === 'no_current_designation') {
    const m = /^no current designation for ([a-z_]+)(?: \(([a-z_]+)\))?/.exec(message);
    if (!m) return null;
    const [, activity, ore] = m;
    const what = ore ? t(`quota.indicator.${activity}_${ore}`, { defaultValue: `${activity} (${ore})` })
      : activity === 'smelting_separation' ? t('quota.indicator.smelting_separation') : t(`enums.activity.${activity}`, { defaultValue: activity! });
    return t('problems.eligibility.noDesignation', { activity: what });
  }
  return null;
}

/** The translated message for a rule code, or the server's own message. */
export function ruleMessage(t: TFunction, e: ProblemFieldError): string {
  return eligibilityMessage(t, e) ?? t(`problems.rules.${e.rule}`, { defaultValue: e.message || e.rule });
}

/** A one-line summary of any error for a message or alert. */
export function problemSummary(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : t('problems.generic');
  const { status, problem } = error;
  if (status === 0) return t('problems.network');
  if (problem.code && /^[a-z0-9_]+\.[a-z0-9_]+$/.test(problem.code)) {
    const key = `problems.codes.${problem.code}`;
    const byCode = t(key);
    if (typeof byCode === 'string' && byCode !== key) return byCode;
  }
  if (status === 403) return problem.detail ?? t('problems.forbidden');
  if (status === 404) return t('problems.notFound');
  if (status === 429) return t('problems.throttled');
  if (status >= 500) return t('problems.server');
  if (status === 409) return problem.detail ?? t('problems.conflict');
  if (problem.errors?.length) return t('problems.validation');
  return problem.detail ?? problem.title ?? t('problems.generic');
}

export interface AppliedProblem {
  /** Messages that could not be placed next to a field: show them in an alert. */
  general: string[];
  /** How many field errors were placed next to their fields. */
  placed: number;
}

/**
 * Puts the server's field errors next to the antd form fields (field names equal the JSON body keys).
 * `fields` lists the top-level names the form has; `mapField` may redirect a server path to another form path.
 */
export function applyProblemToForm(
  t: TFunction,
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  mapField?: (path: NamePath) => NamePath | null,
): AppliedProblem {
  if (!(error instanceof ApiError)) return { general: [problemSummary(t, error)], placed: 0 };
  const general: string[] = [];
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  for (const e of error.problem.errors ?? []) {
    const raw = fieldPath(e.field ?? '');
    const name = mapField ? mapField(raw) : raw;
    const head = name?.[0];
    if (!name || typeof head !== 'string' || !fields.includes(head)) {
      const text = e.field ? `${e.field}: ${ruleMessage(t, e)}` : ruleMessage(t, e);
      if (!general.includes(text)) general.push(text);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    // One line per distinct problem: two errors that read the same are said once.
    const text = ruleMessage(t, e);
    if (!entry.errors.includes(text)) entry.errors.push(text);
    byField.set(key, entry);
  }
  if (byField.size > 0) form.setFields([...byField.values()].map(({ name, errors }) => ({ name, errors })));
  if (byField.size === 0 && general.length === 0) general.push(problemSummary(t, error));
  else if (byField.size === 0 && error.problem.detail) general.unshift(error.problem.detail);
  return { general, placed: byField.size };
}
