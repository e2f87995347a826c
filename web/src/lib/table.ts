import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TablePaginationConfig, TableProps } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useTranslation } from 'react-i18next';
import { api, type Query } from '../api/client';

export interface ServerTableOptions {
  defaultSort?: string;
  defaultOrder?: 'asc' | 'desc';
  pageSize?: number;
  enabled?: boolean;
}

/** Server-side paging, sorting and filtering for an antd Table over a list endpoint. */
export function useServerTable<T extends object>(resource: string, filters: Query, options: ServerTableOptions = {}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(options.pageSize ?? 50);
  // null until the user sorts: the default may change with the language (e.g. by name in Chinese, by code in English).
  const [chosenSort, setSort] = useState<{ field?: string; order?: 'asc' | 'desc' } | null>(null);
  const sort = chosenSort ?? { field: options.defaultSort, order: options.defaultSort ? (options.defaultOrder ?? 'asc') : undefined };
  // New filters start again from the first page (state derived during render, no extra fetch).
  const filterKey = JSON.stringify(filters);
  const [lastFilterKey, setLastFilterKey] = useState(filterKey);
  if (filterKey !== lastFilterKey) {
    setLastFilterKey(filterKey);
    setPage(1);
  }

  const params: Query = { page, pageSize, sort: sort.order ? sort.field : undefined, order: sort.field ? sort.order : undefined, ...filters };
  const query = useQuery({
    queryKey: [resource, 'list', params],
    queryFn: () => api.list<T>(resource, params),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });

  const onChange: TableProps<T>['onChange'] = (pagination: TablePaginationConfig, _f, sorter) => {
    const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<T> | undefined;
    const field = s?.order ? String(s.columnKey ?? s.field ?? '') : undefined;
    const order = s?.order === 'ascend' ? 'asc' : s?.order === 'descend' ? 'desc' : undefined;
    setSort({ field: field || undefined, order });
    if (pagination.pageSize && pagination.pageSize !== pageSize) {
      setPageSize(pagination.pageSize);
      setPage(1);
    } else setPage(pagination.current ?? 1);
  };

  /** The controlled sortOrder for a sortable column. */
  const sortOrder = (field: string): 'ascend' | 'descend' | null =>
    sort.field === field ? (sort.order === 'asc' ? 'ascend' : sort.order === 'desc' ? 'descend' : null) : null;

  const tableProps: TableProps<T> = {
    size: 'small',
    dataSource: query.data?.items ?? [],
    loading: query.isFetching,
    onChange,
    pagination: {
      current: page,
      pageSize,
      total: query.data?.total ?? 0,
      showSizeChanger: true,
      pageSizeOptions: [20, 50, 100, 200],
      showTotal: (total) => t('common.total', { total }),
      size: 'small',
    },
    scroll: { x: 'max-content' },
  };
  return { query, tableProps, sortOrder };
}
