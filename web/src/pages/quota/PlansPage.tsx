import { useState } from 'react';
import { Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { CURRENT_INDICATORS, INDICATORS, currentYear, planTotals, type Indicator, type Plan } from '../../api/quota';
import { BarChart, CHART_COLORS } from '../../components/charts';
import { ErrorState, PageHeader } from '../../components/common';
import { FormModal } from '../../components/FormModal';
import { formatDate, formatTonnes } from '../../lib/format';
import { can } from '../../lib/permissions';
import { useMe } from '../../lib/session';
import { PlanStatusTag, useApprovalDocument, useIndicatorLabel, usePlans } from './common';
import { RulesCard } from './RulesAndPenalties';

export interface PlanFormValues {
  year?: number;
  basisText?: string;
  basisFigures?: { key: string; value: string }[];
  lines: { indicator: Indicator; amountTonnesReo: string }[];
}

export const PLAN_FORM_FIELDS = ['year', 'basisText', 'basisFigures', 'lines'] as const;

/** Form body → API body (basis figures as an object). */
export function planBody(v: PlanFormValues) {
  const figures: Record<string, string> = {};
  for (const f of v.basisFigures ?? []) if (f?.key?.trim()) figures[f.key.trim()] = String(f.value ?? '').trim();
  return {
    ...(v.year !== undefined ? { year: v.year } : {}),
    basisText: v.basisText ?? '',
    basisFigures: figures,
    lines: (v.lines ?? []).map((l) => ({ indicator: l.indicator, amountTonnesReo: String(l.amountTonnesReo ?? '').trim() })),
  };
}

/** The fields of a plan draft: year (new only), basis text and figures, lines. */
export function PlanFormFields({ withYear }: { withYear: boolean }) {
  const { t } = useTranslation();
  const label = useIndicatorLabel();
  const required = { required: true, message: t('problems.rules.required') };
  return (
    <>
      {withYear ? (
        <Form.Item name="year" label={t('quota.year')} rules={[required]}>
          <InputNumber min={2000} max={2100} precision={0} style={{ width: 140 }} data-testid="plan-year" />
        </Form.Item>
      ) : null}
      <Form.Item label={t('quota.lines')} required>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'indicator']} rules={[required]} style={{ marginBottom: 8 }}>
                    <Select style={{ width: 220 }} options={INDICATORS.map((i) => ({ value: i, label: label(i) }))} data-testid={`plan-line-indicator-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'amountTonnesReo']} rules={[required]} style={{ marginBottom: 8 }}>
                    <Input suffix={t('quota.tonnesReo')} style={{ width: 200 }} data-testid={`plan-line-amount-${f.name}`} />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                </Space>
              ))}
              {fields.length < 4 ? (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ indicator: CURRENT_INDICATORS[fields.length % 3], amountTonnesReo: '' })} data-testid="plan-line-add">
                  {t('quota.addLine')}
                </Button>
              ) : null}
            </>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="basisText" label={t('quota.basisText')} extra={t('quota.basisHelp')}>
        <Input.TextArea rows={3} data-testid="plan-basis-text" />
      </Form.Item>
      <Form.Item label={t('quota.basisFigures')}>
        <Form.List name="basisFigures">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="start" style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'key']} style={{ marginBottom: 8 }}><Input placeholder={t('quota.figureKey')} style={{ width: 220 }} /></Form.Item>
                  <Form.Item name={[f.name, 'value']} style={{ marginBottom: 8 }}><Input placeholder={t('quota.figureValue')} style={{ width: 200 }} /></Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                </Space>
              ))}
              <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ key: '', value: '' })}>{t('quota.addFigure')}</Button>
            </>
          )}
        </Form.List>
      </Form.Item>
    </>
  );
}

export function PlansPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const label = useIndicatorLabel();
  const plans = usePlans();
  const approvalDoc = useApprovalDocument();
  const [creating, setCreating] = useState(false);

  const rows = plans.data ?? [];
  const thisYear = currentYear();
  const history = [...rows].sort((a, b) => a.year - b.year);
  const lineOf = (p: Plan, i: Indicator) => p.lines.find((l) => l.indicator === i);

  const columns: TableColumnsType<Plan> = [
    {
      key: 'year', dataIndex: 'year', title: t('quota.year'), width: 90,
      render: (y: number) => <Link to="/quota/plans/$year" params={{ year: String(y) }} data-testid="plan-link">{y}</Link>,
    },
    {
      key: 'status', dataIndex: 'status', title: t('quota.status'), width: 160,
      render: (_, p) => (
        <Space size={4}>
          <PlanStatusTag status={p.status} />
          {p.historical ? (
            <Tooltip title={p.note ?? ''}><Tag data-testid="plan-historical">{t('quota.historical')}</Tag></Tooltip>
          ) : p.year === thisYear ? (
            <Tooltip title={p.note ?? ''}><Tag color="geekblue" data-testid="plan-current">{t('quota.currentYear')}</Tag></Tooltip>
          ) : null}
        </Space>
      ),
    },
    {
      key: 'miningTotal', title: t('quota.miningTotal'), align: 'right', width: 100,
      render: (_, p) => formatTonnes(planTotals(p).mining),
    },
    ...(['mining_rock_type', 'mining_ion_adsorption', 'smelting_separation'] as const).map((i) => ({
      key: i, title: label(i), align: 'right' as const, width: 125,
      render: (_: unknown, p: Plan) => {
        const l = lineOf(p, i);
        if (!l) return <span style={{ color: '#bfbfbf' }}>{t('common.none')}</span>;
        return (
          <Tooltip title={l.adjustmentsTonnesReo !== '0.000000' ? `${t('quota.approved')} ${formatTonnes(l.approvedTonnesReo)} · ${t('quota.adjustments')} ${formatTonnes(l.adjustmentsTonnesReo, { signed: true })}` : undefined}>
            <span>{formatTonnes(l.effectiveTonnesReo)}{l.adjustmentsTonnesReo !== '0.000000' ? ' *' : ''}</span>
          </Tooltip>
        );
      },
    })),
    { key: 'approval', title: t('quota.approvalDocumentNo'), width: 150, ellipsis: true, render: (_, p) => approvalDoc(p.approvalDocumentNo) ?? '' },
    { key: 'approvedOn', dataIndex: 'approvedOn', title: t('quota.approvedOn'), width: 110, render: formatDate },
    { key: 'note', dataIndex: 'note', title: t('quota.note'), ellipsis: { showTitle: false }, render: (v: string | null) => (v ? <Tooltip title={v} placement="topLeft"><span>{v}</span></Tooltip> : '') },
  ];

  const create = async (v: PlanFormValues) => {
    const plan = await api.post<Plan>('/quota/plans', planBody(v));
    await qc.invalidateQueries({ queryKey: ['quota'] });
    void navigate({ to: '/quota/plans/$year', params: { year: String(plan.year) } });
  };

  const nextYear = currentYear() + 1;
  return (
    <>
      <PageHeader
        title={t('quota.plansTitle')}
        extra={can(me, 'quota.plan') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-new">{t('quota.newPlan')}</Button>
        ) : null}
      />
      {plans.isError ? <ErrorState error={plans.error} onRetry={() => void plans.refetch()} /> : (
        <>
          <Card size="small" title={t('quota.historyChart')} style={{ marginBottom: 12 }} loading={plans.isPending}>
            <BarChart
              testId="plan-history-chart"
              lang={i18n.language}
              height={220}
              categories={history.map((p) => String(p.year))}
              format={(v) => `${formatTonnes(v)} ${t('quota.tonnesReo')}`}
              series={[
                { name: t('quota.miningTotal'), color: CHART_COLORS.mining, values: history.map((p) => planTotals(p).mining) },
                { name: t('quota.indicator.smelting_separation'), color: CHART_COLORS.smelting, values: history.map((p) => planTotals(p).smelting || null) },
              ]}
            />
          </Card>
          <Table<Plan>
            size="small"
            rowKey="year"
            loading={plans.isFetching}
            dataSource={rows}
            columns={columns}
            pagination={false}
            scroll={{ x: 1100 }}
            data-testid="plans-table"
          />
          <RulesCard />
        </>
      )}
      {creating ? (
        <FormModal<PlanFormValues>
          title={t('quota.newPlan')}
          width={720}
          testId="plan-modal"
          fields={PLAN_FORM_FIELDS}
          initialValues={{
            year: rows.some((p) => p.year === nextYear) ? undefined : nextYear,
            lines: CURRENT_INDICATORS.map((indicator) => ({ indicator, amountTonnesReo: '' })),
            basisFigures: [],
          }}
          onSubmit={create}
          onClose={() => setCreating(false)}
        >
          <PlanFormFields withYear />
        </FormModal>
      ) : null}
    </>
  );
}
