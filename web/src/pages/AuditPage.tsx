import { useState } from 'react';
import { DatePicker, Input, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError, isApiError } from '../api/client';
import type { AuditEntry } from '../api/types';
import { ErrorState, FilterBar, PageHeader } from '../components/common';
import { formatDateTime } from '../lib/format';
import { canSee } from '../lib/permissions';
import { useMe } from '../lib/session';
import { useServerTable } from '../lib/table';

/** What the server writes to the audit log (unknown ones are shown as recorded). */
export const AUDIT_ENTITIES = [
  'division', 'department', 'group', 'enterprise', 'designation', 'product', 'user', 'session', 'api_token',
  'plan', 'batch', 'allocation', 'notice', 'ledger_entry', 'penalty', 'quota_rule',
] as const;
export const AUDIT_ACTIONS = [
  'create', 'update', 'deactivate', 'reactivate', 'revoke', 'login', 'update+password', 'deactivate+password', 'reactivate+password',
  'signoff_agree', 'signoff_return', 'submit', 'approve', 'adjust', 'close', 'prepare', 'issue', 'withdraw', 'sub_allocate',
  'acknowledge', 'forward', 'post_production', 'correct_production', 'correct',
] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/** Field-by-field comparison of two JSON documents (nested objects by dotted path). */
export function jsonDiff(before: unknown, after: unknown, prefix = ''): DiffRow[] {
  if (isRecord(before) || isRecord(after)) {
    const b = isRecord(before) ? before : {};
    const a = isRecord(after) ? after : {};
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return keys.flatMap((k) => {
      const path = prefix ? `${prefix}.${k}` : k;
      if ((isRecord(b[k]) || isRecord(a[k])) && (b[k] !== undefined && a[k] !== undefined)) return jsonDiff(b[k], a[k], path);
      return [{ field: path, before: b[k], after: a[k], changed: JSON.stringify(b[k]) !== JSON.stringify(a[k]) }];
    });
  }
  return [{ field: prefix || '—', before, after, changed: JSON.stringify(before) !== JSON.stringify(after) }];
}

function Diff({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const rows = jsonDiff(entry.before ?? null, entry.after ?? null);
  const changed = rows.filter((r) => r.changed);
  const [all, setAll] = useState(false);
  const shown = all ? rows : changed;
  return (
    <div data-testid="audit-diff">
      <Typography.Link onClick={() => setAll(!all)} style={{ fontSize: 12 }}>
        {all ? t('audit.diff') : `${t('audit.diff')} (${changed.length}/${rows.length})`}
      </Typography.Link>
      <Table<DiffRow>
        size="small"
        rowKey="field"
        pagination={false}
        dataSource={shown}
        locale={{ emptyText: t('audit.noChanges') }}
        rowClassName={(r) => (r.changed ? 'audit-changed' : '')}
        columns={[
          { key: 'field', dataIndex: 'field', title: t('audit.field'), width: 200, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            key: 'before', dataIndex: 'before', title: t('audit.before'),
            render: (v: unknown, r) => <span style={r.changed && v !== undefined ? { background: '#fff1f0', textDecoration: 'line-through' } : undefined}>{show(v)}</span>,
          },
          {
            key: 'after', dataIndex: 'after', title: t('audit.after'),
            render: (v: unknown, r) => <span style={r.changed && v !== undefined ? { background: '#f6ffed' } : undefined}>{show(v)}</span>,
          },
        ]}
      />
    </div>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = canSee(me, 'audit');
  const [actor, setActor] = useState('');
  const [entity, setEntity] = useState<string>();
  const [action, setAction] = useState<string>();
  const [entityId, setEntityId] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const from = range?.[0]?.startOf('day').toISOString();
  const to = range?.[1]?.endOf('day').toISOString();
  const { query, tableProps } = useServerTable<AuditEntry>('audit', { actor, entity, action, entityId, from, to }, { enabled: allowed });

  const columns: TableColumnsType<AuditEntry> = [
    { key: 'at', dataIndex: 'at', title: t('audit.at'), width: 170, render: formatDateTime },
    { key: 'actorUsername', dataIndex: 'actorUsername', title: t('audit.actor'), render: (v: string | null) => v ?? t('audit.system') },
    { key: 'action', dataIndex: 'action', title: t('audit.action'), render: (v: string) => <Tag>{t(`enums.auditAction.${v}`, { defaultValue: v })}</Tag> },
    { key: 'entity', dataIndex: 'entity', title: t('audit.entity'), render: (v: string) => t(`enums.auditEntity.${v}`, { defaultValue: v }) },
    { key: 'entityId', dataIndex: 'entityId', title: t('audit.entityId'), render: (v: string) => <Typography.Text copyable={{ text: v }} style={{ fontFamily: 'monospace', fontSize: 12 }}>{v}</Typography.Text> },
    { key: 'ip', dataIndex: 'ip', title: t('audit.ip'), render: (v: string | null) => v ?? t('common.none') },
  ];

  // Without access (or when the server refuses) the page is only the no-access result, with no filters to play with.
  if (!allowed || isApiError(query.error, 403)) {
    return <ErrorState error={query.error ?? new ApiError(403, { status: 403, title: 'forbidden' })} />;
  }

  return (
    <>
      <PageHeader title={t('audit.title')} />
      <FilterBar>
        <Input.Search allowClear placeholder={t('audit.actorPlaceholder')} onSearch={(v) => setActor(v.trim())} style={{ width: 180 }} data-testid="audit-actor" />
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('audit.entityPlaceholder')} value={entity} onChange={setEntity} style={{ width: 160 }} data-testid="audit-entity"
          options={AUDIT_ENTITIES.map((e) => ({ value: e, label: t(`enums.auditEntity.${e}`) }))} />
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder={t('audit.actionPlaceholder')} value={action} onChange={setAction} style={{ width: 170 }}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`enums.auditAction.${a}`) }))} />
        <Input.Search allowClear placeholder={t('audit.entityId')} onSearch={(v) => setEntityId(v.trim())} style={{ width: 240 }} />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} placeholder={[t('audit.from'), t('audit.to')]} />
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<AuditEntry>
          {...tableProps}
          rowKey="id"
          columns={columns}
          data-testid="audit-table"
          expandable={{ expandedRowRender: (e) => <Diff entry={e} />, rowExpandable: (e) => e.before != null || e.after != null }}
        />
      )}
    </>
  );
}
