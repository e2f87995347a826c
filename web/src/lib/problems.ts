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

/** The translated message for a rule code, or the server's own message. */
export function ruleMessage(t: TFunction, e: ProblemFieldError): string {
  return t(`problems.rules.${e.rule}`, { defaultValue: e.message || e.rule });
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
      general.push(e.field ? `${e.field}: ${ruleMessage(t, e)}` : ruleMessage(t, e));
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(ruleMessage(t, e));
    byField.set(key, entry);
  }
  if (byField.size > 0) form.setFields([...byField.values()].map(({ name, errors }) => ({ name, errors })));
  if (byField.size === 0 && general.length === 0) general.push(problemSummary(t, error));
  else if (byField.size === 0 && error.problem.detail) general.unshift(error.problem.detail);
  return { general, placed: byField.size };
}
