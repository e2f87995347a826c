import { useState } from 'react';
import { Button, Popconfirm, Segmented, Space, Table, Tag, Typography, App as AntApp, type TableColumnsType } from 'antd';
import { CheckOutlined, EyeOutlined, ShareAltOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Notice } from '../../api/quota';
import { ErrorState, FilterBar, PageHeader } from '../../components/common';
import { formatDateTime } from '../../lib/format';
import { problemSummary } from '../../lib/problems';

export function NoticesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<'all' | 'pending'>('all');
  const notices = useQuery({ queryKey: ['quota', 'my-notices'], queryFn: () => api.get<Notice[]>('/quota/notices') });
  const act = useMutation({
    mutationFn: ({ id, what }: { id: string; what: 'read' | 'acknowledge' | 'forward' }) => api.post<Notice | Notice[]>(`/quota/notices/${id}/${what}`),
    onSuccess: async (res, { what }) => {
      if (what === 'forward') message.success(t('quota.forwardedTo', { count: Array.isArray(res) ? res.length : 0, names: Array.isArray(res) ? res.map((n) => n.recipient.nameZh).join('、') : '' }));
      else message.success(t(`quota.done.notice_${what}`));
      await qc.invalidateQueries({ queryKey: ['quota'] });
    },
    onError: (e) => message.error(problemSummary(t, e)),
  });

  const all = [...(notices.data ?? [])].sort((a, b) => b.deliveredAt.localeCompare(a.deliveredAt));
  const pending = all.filter((n) => !n.acknowledgedAt);
  const rows = filter === 'all' ? all : pending;

  const columns: TableColumnsType<Notice> = [
    { key: 'year', dataIndex: 'year', title: t('quota.year'), width: 70 },
    { key: 'batch', dataIndex: 'batchName', title: t('quota.batchName'), render: (v: string) => <span data-testid="notice-batch">{v}</span> },
    { key: 'recipient', title: t('quota.recipientLabel'), render: (_, n) => `${n.recipient.nameZh}${n.recipient.code ? ` (${n.recipient.code})` : ''}` },
    { key: 'via', title: t('quota.via'), render: (_, n) => n.forwardedFromId ? <Tag>{t('quota.forwardedCopy')}</Tag> : <Tag color="blue">{t('quota.direct')}</Tag> },
    { key: 'delivered', dataIndex: 'deliveredAt', title: t('quota.delivered'), render: formatDateTime },
    { key: 'read', dataIndex: 'readAt', title: t('quota.read'), render: (v: string | null) => v ? formatDateTime(v) : <Tag>{t('quota.unread')}</Tag> },
    {
      key: 'ack', title: t('quota.acknowledged'),
      render: (_, n) => n.acknowledgedAt
        ? <Space size={4}><Tag color="green" data-testid="notice-acknowledged">{t('quota.acknowledgedTag')}</Tag><Typography.Text type="secondary">{formatDateTime(n.acknowledgedAt)} · {n.acknowledgedBy}</Typography.Text></Space>
        : <Tag color="orange" data-testid="notice-pending">{t('quota.notAcknowledged')}</Tag>,
    },
    { key: 'fwd', dataIndex: 'forwardedAt', title: t('quota.forwardedAt'), render: (v: string | null) => v ? <span data-testid="notice-forwarded-at">{formatDateTime(v)}</span> : '' },
    {
      key: 'actions', title: t('common.actions'),
      render: (_, n) => (
        <Space size={4}>
          {!n.readAt ? <Button size="small" icon={<EyeOutlined />} onClick={() => act.mutate({ id: n.id, what: 'read' })} data-testid="notice-read">{t('quota.markRead')}</Button> : null}
          {!n.acknowledgedAt ? <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => act.mutate({ id: n.id, what: 'acknowledge' })} data-testid="notice-acknowledge">{t('quota.acknowledge')}</Button> : null}
          {n.canForward ? (
            <Popconfirm title={t('quota.forwardConfirm')} okText={t('quota.forward')} cancelText={t('common.cancel')} okButtonProps={{ ...({ 'data-testid': 'confirm-ok' } as Record<string, string>) }}
              onConfirm={() => act.mutateAsync({ id: n.id, what: 'forward' }).catch(() => undefined)}>
              <Button size="small" icon={<ShareAltOutlined />} data-testid="notice-forward">{t('quota.forward')}</Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('quota.noticesTitle')} />
      <FilterBar>
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as 'all' | 'pending')}
          options={[
            { value: 'all', label: `${t('common.all')} (${all.length})` },
            { value: 'pending', label: <span data-testid="notices-pending-filter">{t('quota.notAcknowledged')} ({pending.length})</span> },
          ]}
        />
        <Typography.Text type="secondary">{t('quota.noticesHelp')}</Typography.Text>
      </FilterBar>
      {notices.isError ? <ErrorState error={notices.error} onRetry={() => void notices.refetch()} /> : (
        <Table<Notice> size="small" rowKey="id" loading={notices.isFetching} dataSource={rows} columns={columns} pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true }} scroll={{ x: 'max-content' }} data-testid="notices-table" />
      )}
    </>
  );
}
