import { useState, type ReactNode } from 'react';
import { Alert, Button, Flex, Popconfirm, Result, Spin, Tag, Tooltip, Typography, App as AntApp } from 'antd';
import { StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from '@tanstack/react-router';
import { api, isApiError } from '../api/client';
import { problemSummary } from '../lib/problems';

export function PageHeader({ title, extra, testId }: { title: ReactNode; extra?: ReactNode; testId?: string }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
      <Typography.Title level={4} style={{ margin: 0 }} data-testid={testId ?? 'page-title'}>
        {title}
      </Typography.Title>
      {extra ? <Flex gap={8} wrap>{extra}</Flex> : null}
    </Flex>
  );
}

export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} data-testid="filter-bar">
      {children}
    </Flex>
  );
}

export function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>;
}

export const COMPACT_TAG = { marginInlineEnd: 0, paddingInline: 4, fontSize: 12, lineHeight: '18px' } as const;

/** Small tags that wrap within a narrow column; past `max` the rest go into a "+n" tag with a tooltip. */
export function CompactTags({ items, max = 4 }: { items: { key: string; label: ReactNode; color?: string; tooltip?: ReactNode; testId?: string }[]; max?: number }) {
  const shown = items.slice(0, max);
  const rest = items.slice(max);
  const tag = (i: (typeof items)[number]) => {
    const el = <Tag key={i.key} color={i.color} style={COMPACT_TAG} data-testid={i.testId}>{i.label}</Tag>;
    return i.tooltip ? <Tooltip key={i.key} title={i.tooltip}>{el}</Tooltip> : el;
  };
  return (
    <Flex gap={3} wrap>
      {shown.map(tag)}
      {rest.length ? (
        <Tooltip title={<Flex gap={3} wrap>{rest.map((i) => <span key={i.key}>{i.label}</span>)}</Flex>}>
          <Tag style={COMPACT_TAG}>+{rest.length}</Tag>
        </Tooltip>
      ) : null}
    </Flex>
  );
}

/** A not-found, forbidden or general error state for a page or a detail view. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (isApiError(error, 404)) {
    return (
      <Result
        status="404"
        title={t('common.notFoundTitle')}
        subTitle={t('common.notFoundText')}
        data-testid="state-not-found"
        extra={<Link to="/">{t('common.home')}</Link>}
      />
    );
  }
  if (isApiError(error, 403)) {
    return (
      <Result
        status="403"
        title={t('common.forbiddenTitle')}
        subTitle={t('common.forbiddenText')}
        data-testid="state-forbidden"
        extra={<Link to="/">{t('common.home')}</Link>}
      />
    );
  }
  return (
    <Result
      status="error"
      title={t('common.errorTitle')}
      subTitle={problemSummary(t, error)}
      data-testid="state-error"
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function Loading() {
  return (
    <Flex justify="center" style={{ padding: 48 }}>
      <Spin />
    </Flex>
  );
}

export function ProblemAlert({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="form-problem"
      title={messages.length === 1 ? messages[0] : undefined}
      description={messages.length > 1 ? <ul style={{ margin: 0, paddingLeft: 16 }}>{messages.map((m, i) => <li key={i}>{m}</li>)}</ul> : undefined}
    />
  );
}

/** Deactivates an item (POST /api/<resource>/<id>/deactivate) after confirmation. */
export function DeactivateButton({ resource, id, onDone, size = 'small', iconOnly = false }: { resource: string; id: string; onDone?: () => void; size?: 'small' | 'middle'; iconOnly?: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: () => api.post(`/${resource}/${encodeURIComponent(id)}/deactivate`),
    onSuccess: async () => {
      message.success(t('common.deactivated'));
      await qc.invalidateQueries({ queryKey: [resource] });
      onDone?.();
    },
    onError: (e) => message.error(problemSummary(t, e)),
  });
  return (
    <Popconfirm
      open={open}
      onOpenChange={setOpen}
      title={t('common.deactivateConfirm')}
      okText={t('common.deactivate')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: mutation.isPending, ...({ 'data-testid': 'confirm-deactivate' } as Record<string, string>) }}
      onConfirm={() => mutation.mutateAsync().catch(() => undefined)}
    >
      {iconOnly ? (
        <Tooltip title={t('common.deactivate')}>
          <Button size={size} danger icon={<StopOutlined />} aria-label={t('common.deactivate')} data-testid="deactivate" />
        </Tooltip>
      ) : (
        <Button size={size} danger icon={<StopOutlined />} data-testid="deactivate">
          {t('common.deactivate')}
        </Button>
      )}
    </Popconfirm>
  );
}
