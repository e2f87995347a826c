import { useEffect, useState } from 'react';
import { Select, type SelectProps } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Department, Division, Enterprise, Group } from '../api/types';
import { localName } from '../lib/format';

type RemoteSelectProps = Omit<SelectProps<string>, 'options' | 'showSearch' | 'filterOption' | 'onSearch' | 'mode'> & {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
};

function useDebounced(value: string, ms = 250): string {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(h);
  }, [value, ms]);
  return v;
}

/** A searchable select over a list endpoint; shows the current value's label even when it is not in the search results. */
function RemoteSelect<T>({
  resource,
  extraQuery,
  toOption,
  valueKey,
  value,
  onChange,
  ...rest
}: RemoteSelectProps & {
  resource: string;
  extraQuery?: Record<string, string | undefined>;
  toOption: (item: T) => { value: string; label: string };
  valueKey: (item: T) => string;
}) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search);
  const list = useQuery({
    queryKey: [resource, 'options', q, extraQuery],
    queryFn: () => api.list<T>(resource, { q, pageSize: 30, ...extraQuery }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  const current = useQuery({
    queryKey: [resource, 'one', value],
    queryFn: () => api.get<T>(`/${resource}/${encodeURIComponent(value ?? '')}`),
    enabled: !!value && !(list.data?.items ?? []).some((i) => valueKey(i) === value),
    staleTime: 60_000,
    retry: false,
  });
  const options = (list.data?.items ?? []).map(toOption);
  if (value && !options.some((o) => o.value === value)) {
    options.unshift(current.data ? toOption(current.data) : { value, label: value });
  }
  return (
    <Select<string>
      allowClear
      {...rest}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={options}
      loading={list.isFetching}
      onClear={() => setSearch('')}
    />
  );
}

export function DivisionSelect(props: RemoteSelectProps & { level?: string }) {
  const { i18n } = useTranslation();
  const { level, ...rest } = props;
  return (
    <RemoteSelect<Division>
      {...rest}
      resource="divisions"
      extraQuery={level ? { level } : undefined}
      valueKey={(d) => d.code}
      toOption={(d) => ({ value: d.code, label: `${d.code} ${localName(i18n.language, d)}` })}
    />
  );
}

export function GroupSelect(props: RemoteSelectProps) {
  const { i18n } = useTranslation();
  return (
    <RemoteSelect<Group>
      {...props}
      resource="groups"
      valueKey={(g) => g.id}
      toOption={(g) => ({ value: g.id, label: localName(i18n.language, g) })}
    />
  );
}

export function EnterpriseSelect({ filters, ...props }: RemoteSelectProps & { filters?: Record<string, string | undefined> }) {
  const { i18n } = useTranslation();
  return (
    <RemoteSelect<Enterprise>
      {...props}
      extraQuery={filters}
      resource="enterprises"
      valueKey={(e) => e.id}
      toOption={(e) => ({ value: e.id, label: `${localName(i18n.language, e)} (${e.creditCode})` })}
    />
  );
}

export function DepartmentSelect(props: RemoteSelectProps) {
  const { i18n } = useTranslation();
  return (
    <RemoteSelect<Department>
      {...props}
      resource="departments"
      valueKey={(d) => d.id}
      toOption={(d) => ({ value: d.id, label: localName(i18n.language, d) })}
    />
  );
}

/** id → name for all groups (there are few), for showing names in tables. */
export function useGroupNames(): Map<string, Group> {
  const q = useQuery({
    queryKey: ['groups', 'all'],
    queryFn: () => api.list<Group>('groups', { pageSize: 200 }),
    staleTime: 5 * 60_000,
  });
  return new Map((q.data?.items ?? []).map((g) => [g.id, g]));
}

/** One division by code (cached), for showing its name. */
export function useDivision(code: string | null | undefined) {
  return useQuery({
    queryKey: ['divisions', 'one', code],
    queryFn: () => api.get<Division>(`/divisions/${encodeURIComponent(code ?? '')}`),
    enabled: !!code,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Enum options translated from the i18n `enums.<kind>` table. */
export function useEnumOptions<T extends string>(kind: string, values: readonly T[]) {
  const { t } = useTranslation();
  return values.map((v) => ({ value: v, label: t(`enums.${kind}.${v}`) }));
}

/** An enterprise's name by id (cached per id), for tables that only hold the id. */
export function EnterpriseName({ id }: { id: string }) {
  const { i18n } = useTranslation();
  const q = useQuery({ queryKey: ['enterprises', 'one', id], queryFn: () => api.get<Enterprise>(`/enterprises/${encodeURIComponent(id)}`), staleTime: 5 * 60_000, retry: false });
  return <>{q.data ? localName(i18n.language, q.data) : id.slice(0, 8)}</>;
}

/** A department's name by id (cached per id). */
export function DepartmentName({ id }: { id: string }) {
  const { i18n } = useTranslation();
  const q = useQuery({ queryKey: ['departments', 'one', id], queryFn: () => api.get<Department>(`/departments/${encodeURIComponent(id)}`), staleTime: 5 * 60_000, retry: false });
  return <>{q.data ? localName(i18n.language, q.data) : id.slice(0, 8)}</>;
}
