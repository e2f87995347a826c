import { Typography } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Division, Page } from '../api/types';
import { localName } from '../lib/format';

/** Division names change rarely: cache them for the session. */
const FOREVER = { staleTime: Infinity, gcTime: Infinity, retry: false } as const;

const isProvince = (code: string) => /^\d{2}0000$/.test(code);
const isPrefecture = (code: string) => /^\d{4}00$/.test(code) && !isProvince(code);
/** The likely parent of a code by the GB/T 2260 structure (municipalities' districts hang off the province instead). */
const guessParent = (code: string) => (isPrefecture(code) ? `${code.slice(0, 2)}0000` : `${code.slice(0, 4)}00`);

/**
 * code → division for the codes on screen, in few requests: all provinces once, then one
 * children list per parent (prefecture or province) of the codes shown, and a single-division
 * request only for the odd code those lists do not hold. Everything is cached for the session.
 */
export function useDivisionNames(codes: readonly (string | null | undefined)[]): Map<string, Division> {
  const wanted = [...new Set(codes.filter((c): c is string => !!c && /^\d{6}$/.test(c)))].sort();
  const provinces = useQuery({
    queryKey: ['divisions', 'names', 'provinces'],
    queryFn: () => api.get<Page<Division>>('/divisions', { level: 'province', pageSize: 100 }),
    ...FOREVER,
  });
  const others = wanted.filter((c) => !isProvince(c));
  const parents = [...new Set(others.map(guessParent))].filter((p) => p !== '000000');
  const lists = useQueries({
    queries: parents.map((parentCode) => ({
      queryKey: ['divisions', 'names', 'children', parentCode],
      queryFn: () => api.get<Page<Division>>('/divisions', { parentCode, pageSize: 500 }),
      ...FOREVER,
    })),
  });
  const found = new Map<string, Division>();
  for (const d of provinces.data?.items ?? []) found.set(d.code, d);
  for (const l of lists) for (const d of l.data?.items ?? []) found.set(d.code, d);
  const listsSettled = lists.every((l) => !l.isPending);
  const missing = listsSettled ? others.filter((c) => !found.has(c)) : [];
  const singles = useQueries({
    queries: missing.map((code) => ({
      queryKey: ['divisions', 'one', code],
      queryFn: () => api.get<Division>(`/divisions/${encodeURIComponent(code)}`),
      ...FOREVER,
    })),
  });
  for (const s of singles) if (s.data) found.set(s.data.code, s.data);
  return found;
}

/** "360734 寻乌县" (the English name in English when there is one). */
export function divisionLabel(lang: string, code: string, division: Division | undefined): string {
  return division ? `${code} ${localName(lang, division)}` : code;
}

/** A division code with its name, cut short with a tooltip when the column is narrow. */
export function DivisionText({ code, names, testId }: { code: string | null | undefined; names: Map<string, Division>; testId?: string }) {
  const { t, i18n } = useTranslation();
  if (!code) return <>{t('common.none')}</>;
  const d = names.get(code);
  const name = d ? localName(i18n.language, d) : '';
  return (
    <Typography.Text ellipsis={{ tooltip: name ? `${code} ${name}` : code }} style={{ maxWidth: '100%' }}>
      <span data-testid={testId}>{code}</span>
      {name ? <> {name}</> : null}
    </Typography.Text>
  );
}
