/** Order No. 71 Art. 14 penalties, and the quota rules with their effective dates. */
import { useRef, useState } from 'react';
import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { RULE_KEYS, type Penalty, type QuotaRule, type RuleKey } from '../../api/quota';
import { ErrorState } from '../../components/common';
import { FormModal } from '../../components/FormModal';
import { EnterpriseName, EnterpriseSelect } from '../../components/selects';
import { formatDate, formatTonnes } from '../../lib/format';
import { can } from '../../lib/permissions';
import { useMe } from '../../lib/session';

const ellipsis = (text: string) => <Tooltip title={text} placement="topLeft"><span>{text}</span></Tooltip>;

interface PenaltyValues {
  enterpriseId: string;
  decidedOn: Dayjs;
  authority: string;
  legalBasis: string;
  documentNo: string;
  overProducedTonnesReo?: string;
}

/** Penalties decided in a year (each reduces the enterprise's allocation of the following year), with a form to record one. */
export function PenaltiesCard({ year }: { year: number }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const penalties = useQuery({ queryKey: ['quota', 'penalties', year], queryFn: () => api.get<Penalty[]>('/quota/penalties', { year }) });

  const columns: TableColumnsType<Penalty> = [
    { key: 'decidedOn', dataIndex: 'decidedOn', title: t('quota.penalty.decidedOn'), width: 110, render: formatDate },
    {
      key: 'enterprise', title: t('quota.enterprise'), ellipsis: { showTitle: false },
      render: (_, p) => <Tooltip title={p.enterpriseNameZh} placement="topLeft"><span data-testid="penalty-enterprise"><EnterpriseName id={p.enterpriseId} /></span></Tooltip>,
    },
    { key: 'authority', dataIndex: 'authority', title: t('quota.penalty.authority'), width: 200, ellipsis: { showTitle: false }, render: ellipsis },
    { key: 'legalBasis', dataIndex: 'legalBasis', title: t('quota.penalty.legalBasis'), width: 220, ellipsis: { showTitle: false }, render: ellipsis },
    { key: 'documentNo', dataIndex: 'documentNo', title: t('quota.penalty.documentNo'), width: 190, ellipsis: { showTitle: false }, render: ellipsis },
    {
      key: 'over', dataIndex: 'overProducedTonnesReo', title: t('quota.penalty.overProduced'), width: 130, align: 'right',
      render: (v: string | null) => (v === null ? t('common.none') : formatTonnes(v)),
    },
  ];

  const record = async (v: PenaltyValues) => {
    const over = v.overProducedTonnesReo?.trim();
    await api.post('/quota/penalties', {
      enterpriseId: v.enterpriseId,
      decidedOn: v.decidedOn?.format('YYYY-MM-DD'),
      authority: v.authority,
      legalBasis: v.legalBasis,
      documentNo: v.documentNo,
      ...(over ? { overProducedTonnesReo: over } : {}),
    });
    await qc.invalidateQueries({ queryKey: ['quota'] });
  };

  const required = { required: true, message: t('problems.rules.required') };
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="penalties-card"
      title={<span data-testid="penalties-title">{t('quota.penalty.title', { year, next: year + 1 })}</span>}
      extra={can(me, 'quota.allocate') ? (
        <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="penalty-new">{t('quota.penalty.new')}</Button>
      ) : null}
    >
      {penalties.isError ? <ErrorState error={penalties.error} onRetry={() => void penalties.refetch()} /> : (
        <Table<Penalty>
          size="small" rowKey="id" loading={penalties.isFetching} dataSource={penalties.data ?? []} columns={columns}
          pagination={{ pageSize: 10, size: 'small', hideOnSinglePage: true }} scroll={{ x: 960 }} data-testid="penalties-table"
          locale={{ emptyText: t('quota.penalty.none', { year }) }}
        />
      )}
      {adding ? (
        <FormModal<PenaltyValues>
          title={t('quota.penalty.new')}
          testId="penalty-modal"
          fields={['enterpriseId', 'decidedOn', 'authority', 'legalBasis', 'documentNo', 'overProducedTonnesReo']}
          initialValues={{ decidedOn: dayjs() }}
          onSubmit={record}
          onClose={() => setAdding(false)}
        >
          <Typography.Paragraph type="secondary">{t('quota.penalty.help')}</Typography.Paragraph>
          <Form.Item name="enterpriseId" label={t('quota.enterprise')} rules={[required]}>
            <EnterpriseSelect data-testid="penalty-enterprise-select" />
          </Form.Item>
          <Space wrap align="start">
            <Form.Item name="decidedOn" label={t('quota.penalty.decidedOn')} rules={[required]}>
              <DatePicker data-testid="penalty-decided-on" />
            </Form.Item>
            <Form.Item name="documentNo" label={t('quota.penalty.documentNo')} rules={[required]}>
              <Input style={{ width: 260 }} data-testid="penalty-document-no" />
            </Form.Item>
          </Space>
          <Form.Item name="authority" label={t('quota.penalty.authority')} rules={[required]}>
            <Input maxLength={200} data-testid="penalty-authority" />
          </Form.Item>
          <Form.Item name="legalBasis" label={t('quota.penalty.legalBasis')} rules={[required]}>
            <Input maxLength={500} placeholder={t('quota.penalty.legalBasisPlaceholder')} data-testid="penalty-legal-basis" />
          </Form.Item>
          <Form.Item name="overProducedTonnesReo" label={t('quota.penalty.overProduced')} extra={t('quota.penalty.overProducedHelp')}>
            <Input inputMode="decimal" suffix={t('quota.tonnesReo')} style={{ width: 220 }} data-testid="penalty-over-produced" />
          </Form.Item>
        </FormModal>
      ) : null}
    </Card>
  );
}

/** A rule's value in words. */
export function ruleValueText(t: TFunction, key: string, value: unknown): string {
  const v = value as Record<string, unknown> | unknown[] | string | number | null;
  switch (key) {
    case 'alert_thresholds_percent':
      return Array.isArray(v) ? v.map((p) => `${String(p)}%`).join(' / ') : JSON.stringify(v);
    case 'min_separation_capacity_tonnes':
      return `${formatTonnes(String(v))} ${t('quota.tonnesReo')}`;
    case 'group_sub_allocation_working_days':
      return t('quota.rule.workingDays', { count: Number(v) });
    case 'article14_reduction_rule': {
      const r = (v ?? {}) as { kind?: string; percent?: number; factor?: number };
      if (r.kind === 'percent') return t('quota.rule.reducePercent', { percent: r.percent });
      if (r.kind === 'over_production_factor') return t('quota.rule.reduceFactor', { factor: r.factor });
      return JSON.stringify(v);
    }
    default:
      return JSON.stringify(v);
  }
}

type RuleState = 'inForce' | 'scheduled' | 'superseded';
const RULE_STATE_COLOURS: Record<RuleState, string> = { inForce: 'green', scheduled: 'blue', superseded: 'default' };

interface RuleValues {
  key: RuleKey;
  thresholds?: string;
  capacity?: string;
  days?: number;
  reductionKind?: 'percent' | 'over_production_factor';
  reductionNumber?: number;
  effectiveFrom: Dayjs;
  note?: string;
}

const VALUE_FIELD: Record<RuleKey, keyof RuleValues> = {
  alert_thresholds_percent: 'thresholds',
  min_separation_capacity_tonnes: 'capacity',
  group_sub_allocation_working_days: 'days',
  article14_reduction_rule: 'reductionNumber',
};

function ruleValue(v: RuleValues): unknown {
  switch (v.key) {
    case 'alert_thresholds_percent':
      return (v.thresholds ?? '').split(/[\s,，、/]+/).filter(Boolean).map(Number);
    case 'min_separation_capacity_tonnes':
      return (v.capacity ?? '').trim();
    case 'group_sub_allocation_working_days':
      return v.days;
    case 'article14_reduction_rule':
      return v.reductionKind === 'over_production_factor' ? { kind: 'over_production_factor', factor: v.reductionNumber } : { kind: 'percent', percent: v.reductionNumber };
  }
}

/** The quota rules: each key's value and effective date; officials who plan can add a rule taking effect on a date. */
export function RulesCard() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [adding, setAdding] = useState<RuleKey | null>(null);
  const lastKey = useRef<RuleKey>('alert_thresholds_percent');
  const rules = useQuery({ queryKey: ['quota', 'rules'], queryFn: () => api.get<QuotaRule[]>('/quota/rules') });
  const today = dayjs().format('YYYY-MM-DD');

  // Per key: the latest rule not after today is in force, later ones are scheduled, earlier ones superseded.
  const stateOf = new Map<string, RuleState>();
  for (const key of new Set((rules.data ?? []).map((r) => r.key))) {
    const ofKey = (rules.data ?? []).filter((r) => r.key === key).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
    const current = ofKey.find((r) => r.effectiveFrom <= today);
    for (const r of ofKey) stateOf.set(r.id, r.effectiveFrom > today ? 'scheduled' : r === current ? 'inForce' : 'superseded');
  }
  const rows = [...(rules.data ?? [])].sort((a, b) => {
    const k = RULE_KEYS.indexOf(a.key as RuleKey) - RULE_KEYS.indexOf(b.key as RuleKey);
    return k !== 0 ? k : b.effectiveFrom.localeCompare(a.effectiveFrom);
  });

  const columns: TableColumnsType<QuotaRule> = [
    { key: 'key', dataIndex: 'key', title: t('quota.rule.key'), width: 260, render: (k: string) => <span data-testid="rule-key">{t(`quota.rule.keys.${k}`, { defaultValue: k })}</span> },
    { key: 'value', dataIndex: 'value', title: t('quota.rule.value'), width: 240, render: (v: unknown, r) => <span data-testid="rule-value">{ruleValueText(t, r.key, v)}</span> },
    { key: 'effectiveFrom', dataIndex: 'effectiveFrom', title: t('quota.rule.effectiveFrom'), width: 120, render: formatDate },
    {
      key: 'state', title: t('quota.status'), width: 100,
      render: (_, r) => {
        const s = stateOf.get(r.id) ?? 'superseded';
        return <Tag color={RULE_STATE_COLOURS[s]} data-testid="rule-state">{t(`quota.rule.state.${s}`)}</Tag>;
      },
    },
    { key: 'note', dataIndex: 'note', title: t('quota.note'), ellipsis: { showTitle: false }, render: (v: string | null) => (v ? ellipsis(v) : '') },
  ];

  const add = async (v: RuleValues) => {
    lastKey.current = v.key;
    await api.post('/quota/rules', { key: v.key, value: ruleValue(v), effectiveFrom: v.effectiveFrom?.format('YYYY-MM-DD'), note: v.note?.trim() || null });
    await qc.invalidateQueries({ queryKey: ['quota'] });
  };

  const required = { required: true, message: t('problems.rules.required') };
  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      data-testid="rules-card"
      title={t('quota.rule.title')}
      extra={can(me, 'quota.plan') ? (
        <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding('alert_thresholds_percent')} data-testid="rule-new">{t('quota.rule.new')}</Button>
      ) : null}
    >
      {rules.isError ? <ErrorState error={rules.error} onRetry={() => void rules.refetch()} /> : (
        <Table<QuotaRule>
          size="small" rowKey="id" loading={rules.isFetching} dataSource={rows} columns={columns} pagination={false} scroll={{ x: 900 }} data-testid="rules-table"
          rowClassName={(r) => (stateOf.get(r.id) === 'superseded' ? 'rule-superseded' : '')}
        />
      )}
      {adding ? (
        <FormModal<RuleValues>
          title={t('quota.rule.new')}
          testId="rule-modal"
          fields={['key', 'thresholds', 'capacity', 'days', 'reductionKind', 'reductionNumber', 'effectiveFrom', 'note']}
          mapField={(path) => (path[0] === 'value' ? [VALUE_FIELD[lastKey.current]] : path)}
          initialValues={{ key: adding, reductionKind: 'percent', effectiveFrom: dayjs().add(1, 'day') }}
          onSubmit={add}
          onClose={() => setAdding(null)}
        >
          {(form) => (
            <>
              <Form.Item name="key" label={t('quota.rule.key')} rules={[required]}>
                <Select options={RULE_KEYS.map((k) => ({ value: k, label: t(`quota.rule.keys.${k}`) }))} data-testid="rule-key-select" />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.key !== b.key || a.reductionKind !== b.reductionKind}>
                {() => {
                  const key = form.getFieldValue('key') as RuleKey;
                  if (key === 'alert_thresholds_percent') {
                    return (
                      <Form.Item name="thresholds" label={t('quota.rule.value')} extra={t('quota.rule.thresholdsHelp')} rules={[required]}>
                        <Input placeholder="80, 95, 100" data-testid="rule-thresholds" />
                      </Form.Item>
                    );
                  }
                  if (key === 'min_separation_capacity_tonnes') {
                    return (
                      <Form.Item name="capacity" label={t('quota.rule.value')} rules={[required]}>
                        <Input inputMode="decimal" suffix={t('quota.tonnesReo')} style={{ width: 240 }} data-testid="rule-capacity" />
                      </Form.Item>
                    );
                  }
                  if (key === 'group_sub_allocation_working_days') {
                    return (
                      <Form.Item name="days" label={t('quota.rule.value')} rules={[required]}>
                        <InputNumber min={0} max={60} precision={0} suffix={t('quota.rule.days')} style={{ width: 200 }} data-testid="rule-days" />
                      </Form.Item>
                    );
                  }
                  const percent = form.getFieldValue('reductionKind') !== 'over_production_factor';
                  return (
                    <Space wrap align="start">
                      <Form.Item name="reductionKind" label={t('quota.rule.reductionKind')} rules={[required]}>
                        <Select style={{ width: 240 }} options={[
                          { value: 'percent', label: t('quota.rule.kindPercent') },
                          { value: 'over_production_factor', label: t('quota.rule.kindFactor') },
                        ]} data-testid="rule-reduction-kind" />
                      </Form.Item>
                      <Form.Item name="reductionNumber" label={percent ? t('quota.rule.percent') : t('quota.rule.factor')} rules={[required]}>
                        <InputNumber min={0} max={100} suffix={percent ? '%' : '×'} style={{ width: 160 }} data-testid="rule-reduction-number" />
                      </Form.Item>
                    </Space>
                  );
                }}
              </Form.Item>
              <Form.Item name="effectiveFrom" label={t('quota.rule.effectiveFrom')} rules={[required]}>
                <DatePicker data-testid="rule-effective-from" />
              </Form.Item>
              <Form.Item name="note" label={t('quota.note')}>
                <Input.TextArea rows={2} maxLength={500} data-testid="rule-note" />
              </Form.Item>
            </>
          )}
        </FormModal>
      ) : null}
    </Card>
  );
}
