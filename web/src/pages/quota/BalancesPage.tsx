import { useEffect, useState, type ReactNode } from 'react';
import {
  Alert, Button, Card, Col, Drawer, Empty, Form, Input, Progress, Row, Segmented, Select, Space, Statistic, Table, Tag, Tooltip, Typography, App as AntApp,
  type TableColumnsType,
} from 'antd';
import { DownloadOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, toSearch } from '../../api/client';
import {
  CURRENT_INDICATORS, INDICATORS, currentMonth, currentYear,
  type Balance, type Indicator, type LedgerEntry, type ProductionResult, type QuotaAlert, type QuotaSummary,
} from '../../api/quota';
import { BarChart, CHART_COLORS, LineChart } from '../../components/charts';
import { COMPACT_TAG, ErrorState, FilterBar, PageHeader, ProblemAlert } from '../../components/common';
import { DivisionText, useDivisionNames } from '../../components/divisions';
import { DivisionSelect, GroupSelect, useGroupNames } from '../../components/selects';
import { downloadCsv } from '../../lib/csv';
import { formatDateTime, formatTonnes, localName } from '../../lib/format';
import { can, isEnterpriseRole } from '../../lib/permissions';
import { applyProblemToForm } from '../../lib/problems';
import { useMe } from '../../lib/session';
import { PenaltiesCard } from './RulesAndPenalties';
import { useIndicatorLabel, useReductionBasis, utilisationColour, Utilisation, YearSelect } from './common';

const num = (s: string | null | undefined) => Number(s ?? 0);
const pct = (consumed: number, allocated: number) => (allocated > 0 ? (consumed / allocated) * 100 : null);

function AlertTag({ a }: { a: Pick<QuotaAlert, 'kind' | 'thresholdPercent'> }) {
  const { t } = useTranslation();
  if (a.kind === 'over_quota') return <Tag color="#a8071a" style={COMPACT_TAG} data-testid="alert-tag">{t('quota.overQuota')}</Tag>;
  const colour = a.thresholdPercent >= 100 ? 'red' : a.thresholdPercent >= 95 ? 'volcano' : 'gold';
  return <Tag color={colour} style={COMPACT_TAG} data-testid="alert-tag">{t('quota.thresholdReached', { percent: a.thresholdPercent })}</Tag>;
}

function LedgerTable({ enterpriseId, year, indicator }: { enterpriseId: string; year: number; indicator?: Indicator }) {
  const { t } = useTranslation();
  const label = useIndicatorLabel();
  const reductionBasis = useReductionBasis();
  const ledger = useQuery({
    queryKey: ['quota', 'ledger', enterpriseId, year, indicator],
    queryFn: () => api.get<LedgerEntry[]>('/quota/ledger', { enterpriseId, year, indicator }),
  });
  if (ledger.isError) return <ErrorState error={ledger.error} onRetry={() => void ledger.refetch()} />;
  // Running balance per indicator, in posting order.
  const running = new Map<string, number>();
  const rows = (ledger.data ?? []).map((e) => {
    const b = (running.get(e.indicator) ?? 0) + num(e.amountTonnesReo);
    running.set(e.indicator, b);
    return { ...e, runningBalance: b };
  });
  const columns: TableColumnsType<(typeof rows)[number]> = [
    { key: 'at', dataIndex: 'createdAt', title: t('quota.at'), render: formatDateTime },
    { key: 'indicator', dataIndex: 'indicator', title: t('quota.indicatorLabel'), render: (i: Indicator) => label(i) },
    { key: 'kind', dataIndex: 'kind', title: t('quota.entryKind'), render: (k: string, e) => <Space size={4}><Tag>{t(`quota.ledgerKind.${k}`, { defaultValue: k })}</Tag>{e.correctsEntryId ? <Tag color="purple">{t('quota.correction')}</Tag> : null}</Space> },
    { key: 'month', dataIndex: 'periodMonth', title: t('quota.month'), render: (m: number | null) => (m ? t('quota.monthLabel', { month: m }) : '') },
    { key: 'amount', dataIndex: 'amountTonnesReo', title: t('quota.amount'), align: 'right', render: (v: string) => <span style={{ color: num(v) < 0 ? '#cf1322' : '#389e0d' }}>{formatTonnes(v, { signed: true })}</span> },
    { key: 'balance', dataIndex: 'runningBalance', title: t('quota.balance'), align: 'right', render: (v: number) => formatTonnes(v.toFixed(6)) },
    { key: 'note', dataIndex: 'note', title: t('quota.note'), ellipsis: true, render: (v: string | null) => (v ? reductionBasis(v) : '') },
    { key: 'by', dataIndex: 'createdBy', title: t('quota.by') },
  ];
  return <Table size="small" rowKey="id" loading={ledger.isFetching} dataSource={[...rows].reverse()} columns={columns} pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }} scroll={{ x: 'max-content' }} data-testid="ledger-table" />;
}

interface ProductionValues { year: number; month: number; indicator: Indicator; amountTonnesReo: string }

function ProductionForm({ enterpriseId, onPosted }: { enterpriseId: string; onPosted: (r: ProductionResult) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const label = useIndicatorLabel();
  const [form] = Form.useForm<ProductionValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const year = Form.useWatch('year', form) ?? currentYear();
  const maxMonth = year < currentYear() ? 12 : currentMonth();
  // The indicators the enterprise holds allocations for in the chosen year; all of them only when it holds none.
  const held = useQuery({
    queryKey: ['quota', 'balances', 'production', enterpriseId, year],
    queryFn: () => api.get<Balance[]>('/quota/balances', { year, enterpriseId }),
  });
  const heldIndicators = INDICATORS.filter((i) => (held.data ?? []).some((b) => b.indicator === i && num(b.allocatedTonnesReo) > 0));
  const offered: Indicator[] = heldIndicators.length ? heldIndicators : [...CURRENT_INDICATORS];
  const chosen = Form.useWatch('indicator', form);
  const offeredKey = held.isSuccess ? offered.join(',') : '';
  useEffect(() => {
    if (!offeredKey) return;
    const list = offeredKey.split(',') as Indicator[];
    if (!chosen || !list.includes(chosen)) form.setFieldValue('indicator', list[0]);
  }, [offeredKey, chosen, form]);
  const submit = async (v: ProductionValues) => {
    setProblems([]);
    setSaving(true);
    try {
      const res = await api.post<ProductionResult>('/quota/production', { enterpriseId, year: v.year, month: v.month, indicator: v.indicator, amountTonnesReo: String(v.amountTonnesReo).trim() });
      onPosted(res);
      await qc.invalidateQueries({ queryKey: ['quota'] });
    } catch (e) {
      setProblems(applyProblemToForm(t, form, e, ['year', 'month', 'indicator', 'amountTonnesReo']).general);
    } finally {
      setSaving(false);
    }
  };
  const options = held.isSuccess ? offered.map((i) => ({ value: i, label: label(i) })) : [];
  return (
    <>
      <ProblemAlert messages={problems} />
      <Form<ProductionValues>
        form={form} layout="inline" data-testid="production-form"
        initialValues={{ year: currentYear(), month: currentMonth() }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="year" label={t('quota.year')} rules={[{ required: true, message: t('problems.rules.required') }]}>
          <Select style={{ width: 100 }} options={[currentYear(), currentYear() - 1].map((y) => ({ value: y, label: String(y) }))} data-testid="production-year" />
        </Form.Item>
        <Form.Item name="month" label={t('quota.month')} rules={[{ required: true, message: t('problems.rules.required') }]}>
          <Select style={{ width: 100 }} showSearch={{ optionFilterProp: 'label' }} options={Array.from({ length: maxMonth }, (_, i) => ({ value: i + 1, label: t('quota.monthLabel', { month: i + 1 }) }))} data-testid="production-month" />
        </Form.Item>
        <Form.Item name="indicator" label={t('quota.indicatorLabel')} rules={[{ required: true, message: t('problems.rules.required') }]}>
          <Select
            style={{ width: 200 }} options={options} loading={held.isPending} data-testid="production-indicator"
          />
        </Form.Item>
        <Form.Item name="amountTonnesReo" label={t('quota.monthTotal')} rules={[{ required: true, message: t('problems.rules.required') }]}>
          <Input suffix={t('quota.tonnesReo')} style={{ width: 180 }} data-testid="production-amount" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={saving} data-testid="production-submit">{t('quota.postProduction')}</Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('quota.productionHelp')}
        {held.isSuccess ? <span data-testid="production-indicators-help">{' '}{heldIndicators.length ? t('quota.productionIndicatorsHeld', { year }) : t('quota.productionIndicatorsAll', { year })}</span> : null}
      </Typography.Paragraph>
    </>
  );
}

export function BalancesPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { message } = AntApp.useApp();
  const label = useIndicatorLabel();
  const groups = useGroupNames();
  const enterpriseUser = isEnterpriseRole(me.role) || me.jurisdiction.level === 'enterprise';
  const ownEnterpriseId = me.enterprise?.id ?? me.jurisdiction.enterpriseId ?? undefined;
  const [year, setYear] = useState(currentYear());
  const [divisionCode, setDivisionCode] = useState<string>();
  const [groupId, setGroupId] = useState<string>();
  const [indicator, setIndicator] = useState<Indicator>();
  const [chartIndicator, setChartIndicator] = useState<Indicator>();
  const [ledgerOf, setLedgerOf] = useState<Balance | null>(null);
  const [posted, setPosted] = useState<ProductionResult | null>(null);

  const filters = { year, divisionCode, groupId, enterpriseId: enterpriseUser ? ownEnterpriseId : undefined };
  const summary = useQuery({ queryKey: ['quota', 'summary', filters], queryFn: () => api.get<QuotaSummary>('/quota/summary', filters) });
  const balances = useQuery({ queryKey: ['quota', 'balances', filters, indicator], queryFn: () => api.get<Balance[]>('/quota/balances', { ...filters, indicator }) });
  const alerts = useQuery({ queryKey: ['quota', 'alerts', year, filters.enterpriseId], queryFn: () => api.get<QuotaAlert[]>('/quota/alerts', { year, enterpriseId: filters.enterpriseId }) });

  const s = summary.data;
  const present = INDICATORS.filter((i) => s?.byIndicator.some((x) => x.indicator === i));
  const ci: Indicator | undefined = chartIndicator && present.includes(chartIndicator) ? chartIndicator : present[0];
  const allocatedOf = (i: Indicator | undefined) => num(s?.byIndicator.find((x) => x.indicator === i)?.allocatedTonnesReo);
  const tonnes = (v: number) => `${formatTonnes(v.toFixed(2))} ${t('quota.tonnesReo')}`;
  const groupLabel = (gid: string | null, fallback?: string | null) => (gid ? localName(i18n.language, groups.get(gid)) || fallback || gid.slice(0, 8) : t('quota.noGroup'));

  // Monthly cumulative curve of the chosen indicator, with the thresholds as reference lines.
  const months = Array.from({ length: year < currentYear() ? 12 : Math.max(1, currentMonth()) }, (_, k) => k + 1);
  const monthly = (s?.monthly ?? []).filter((m) => m.indicator === ci);
  let carry = 0;
  const cumulative = months.map((m) => {
    const row = monthly.find((x) => x.month === m);
    if (row) carry = num(row.cumulativeTonnesReo);
    return carry;
  });
  const ciAllocated = allocatedOf(ci);

  const balanceRows = balances.data ?? [];
  // Division names for the rows on the current page of the table (in the order the user sorted them).
  const [pageState, setTablePage] = useState<{ source?: Balance[]; rows: Balance[] | null; current: number; size: number }>({ rows: null, current: 1, size: 50 });
  // New data (another year or filter) starts again from its first page.
  const tablePage = pageState.source === balances.data ? pageState : { ...pageState, rows: null, current: 1 };
  const ordered = tablePage.rows ?? balanceRows;
  const visible = ordered.slice((tablePage.current - 1) * tablePage.size, tablePage.current * tablePage.size);
  const divisions = useDivisionNames([...visible.map((b) => b.domicileDivisionCode), ...(s?.byProvince ?? []).map((x) => x.provinceCode)]);
  const provinceLabel = (code: string, fallback: string) => localName(i18n.language, divisions.get(code)) || fallback;
  const ellipsis = (text: string, node: ReactNode = text) => <Tooltip title={text} placement="topLeft"><span>{node}</span></Tooltip>;
  const columns: TableColumnsType<Balance> = [
    ...(enterpriseUser ? [] : [{
      key: 'enterprise', title: t('quota.enterprise'), ellipsis: { showTitle: false },
      render: (_: unknown, b: Balance) => ellipsis(b.enterpriseNameZh, <Link to="/enterprises/$id" params={{ id: b.enterpriseId }} data-testid="balance-enterprise">{b.enterpriseNameZh}</Link>),
    }, {
      key: 'division', title: t('common.division'), width: 130,
      render: (_: unknown, b: Balance) => <DivisionText code={b.domicileDivisionCode} names={divisions} testId="balance-division" />,
    }, {
      key: 'group', title: t('quota.group'), width: 120, ellipsis: { showTitle: false },
      render: (_: unknown, b: Balance) => (b.groupId ? ellipsis(groupLabel(b.groupId)) : ''),
    }]),
    { key: 'indicator', dataIndex: 'indicator', title: t('quota.indicatorLabel'), width: 110, ellipsis: { showTitle: false }, render: (i: Indicator) => ellipsis(label(i)) },
    {
      key: 'allocated', dataIndex: 'allocatedTonnesReo', title: t('quota.allocated'), align: 'right', width: 95,
      render: (v: string, b) => (
        <>
          <span data-testid="balance-allocated">{formatTonnes(v)}</span>
          {num(b.reductionTonnesReo) > 0 ? (
            <Tooltip title={t('quota.reductionArt14')}>
              <div style={{ color: '#cf1322', fontSize: 12 }} data-testid="balance-reduction">−{formatTonnes(b.reductionTonnesReo)}</div>
            </Tooltip>
          ) : null}
        </>
      ),
    },
    { key: 'consumed', dataIndex: 'consumedTonnesReo', title: t('quota.consumed'), align: 'right', width: 95, render: (v: string) => <span data-testid="balance-consumed">{formatTonnes(v)}</span> },
    { key: 'balance', dataIndex: 'balanceTonnesReo', title: t('quota.balance'), align: 'right', width: 95, render: (v: string) => <span style={{ color: num(v) < 0 ? '#cf1322' : undefined }} data-testid="balance-balance">{formatTonnes(v)}</span> },
    {
      key: 'utilisation', dataIndex: 'utilisationPercent', title: t('quota.utilisation'), align: 'right', width: 90,
      sorter: (a, b) => num(a.utilisationPercent) - num(b.utilisationPercent),
      render: (v: string | null) => <Utilisation percent={v} />,
    },
    {
      key: 'flags', title: t('quota.thresholds'), width: 110,
      render: (_, b) => (
        <Space size={2} wrap>
          {b.thresholdsCrossed.map((p) => <AlertTag key={p} a={{ kind: 'threshold', thresholdPercent: p }} />)}
          {b.overQuota ? <AlertTag a={{ kind: 'over_quota', thresholdPercent: 100 }} /> : null}
        </Space>
      ),
    },
    { key: 'ledger', title: t('quota.ledger'), width: 60, render: (_, b) => <Button size="small" type="link" style={{ padding: 0 }} onClick={() => setLedgerOf(b)} data-testid="balance-ledger">{t('quota.history')}</Button> },
  ];

  const exportCsv = () => {
    const header = [
      t('quota.enterprise'), t('common.division'), t('quota.province'), t('quota.group'), t('quota.indicatorLabel'),
      t('quota.allocated'), t('quota.reductionArt14'), t('quota.consumed'), t('quota.balance'), t('quota.utilisation'), t('quota.thresholds'), t('quota.overQuota'),
    ];
    const body = balanceRows.map((b) => [
      b.enterpriseNameZh, b.domicileDivisionCode, provinceLabel(b.provinceCode, b.provinceCode), b.groupId ? groupLabel(b.groupId) : '', label(b.indicator),
      b.allocatedTonnesReo, b.reductionTonnesReo, b.consumedTonnesReo, b.balanceTonnesReo, b.utilisationPercent ?? '',
      b.thresholdsCrossed.map((p) => `${p}%`).join(' '), b.overQuota ? t('common.yes') : t('common.no'),
    ]);
    downloadCsv(`quota-balances-${year}.csv`, [header, ...body]);
    message.success(t('quota.exported', { count: body.length }));
  };

  return (
    <>
      <PageHeader
        title={enterpriseUser ? t('quota.myBalancesTitle') : t('quota.balancesTitle')}
        extra={(
          <>
            <Button icon={<DownloadOutlined />} onClick={exportCsv} disabled={!balanceRows.length} data-testid="balances-export">{t('quota.exportCsv')}</Button>
            <Button
              icon={<DownloadOutlined />}
              disabled={!balanceRows.length}
              href={`/api/quota/balances/export${toSearch({ ...filters, indicator, format: 'xlsx', lang: i18n.language === 'en' ? 'en' : 'zh-CN' })}`}
              data-testid="balances-export-xlsx"
            >
              {t('quota.exportXlsx')}
            </Button>
          </>
        )}
      />
      <FilterBar>
        <YearSelect value={year} onChange={setYear} testId="balances-year" />
        {enterpriseUser ? null : (
          <>
            <DivisionSelect placeholder={t('enterprises.divisionFilter')} value={divisionCode} onChange={setDivisionCode} style={{ width: 220 }} />
            <GroupSelect placeholder={t('quota.group')} value={groupId} onChange={setGroupId} style={{ width: 220 }} />
            <Select<Indicator> allowClear placeholder={t('quota.indicatorLabel')} value={indicator} onChange={setIndicator} style={{ width: 200 }}
              options={INDICATORS.map((i) => ({ value: i, label: label(i) }))} />
          </>
        )}
      </FilterBar>

      {summary.isError ? <ErrorState error={summary.error} onRetry={() => void summary.refetch()} /> : (
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="summary-cards">
          {(s?.byIndicator ?? []).length === 0 && !summary.isPending ? (
            <Col span={24}><Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quota.noBalances', { year })} /></Col>
          ) : null}
          {INDICATORS.filter((i) => present.includes(i)).map((i) => {
            const x = s!.byIndicator.find((y) => y.indicator === i)!;
            const p = pct(num(x.consumedTonnesReo), num(x.allocatedTonnesReo));
            return (
              <Col key={i} xs={24} md={12} xl={8}>
                <Card size="small" title={label(i)} data-testid={`summary-${i}`}>
                  <Row gutter={8}>
                    <Col span={12}><Statistic title={t('quota.allocated')} value={formatTonnes(x.allocatedTonnesReo)} suffix={t('quota.t')} /></Col>
                    <Col span={12}><Statistic title={t('quota.consumed')} value={formatTonnes(num(x.consumedTonnesReo).toFixed(2))} suffix={t('quota.t')} /></Col>
                  </Row>
                  <Progress percent={Math.min(100, Math.round((p ?? 0) * 10) / 10)} strokeColor={utilisationColour(p)} format={() => (p === null ? '' : `${p.toFixed(1)}%`)} />
                </Card>
              </Col>
            );
          })}
        </Row>
      )}

      {enterpriseUser && ownEnterpriseId && can(me, 'quota.consume') ? (
        <Card size="small" title={t('quota.postProductionTitle')} style={{ marginBottom: 12 }}>
          <ProductionForm enterpriseId={ownEnterpriseId} onPosted={(r) => { setPosted(r); if (r.balance.year !== year) setYear(r.balance.year); }} />
          {posted ? (
            <Alert
              style={{ marginTop: 12 }}
              type={posted.balance.overQuota ? 'error' : posted.balance.thresholdsCrossed.length ? 'warning' : 'success'}
              showIcon
              data-testid="production-result"
              title={posted.unchanged ? t('quota.productionUnchanged') : t('quota.productionPosted')}
              description={t('quota.productionBalance', {
                indicator: label(posted.balance.indicator), year: posted.balance.year, allocated: formatTonnes(posted.balance.allocatedTonnesReo),
                consumed: formatTonnes(posted.balance.consumedTonnesReo), balance: formatTonnes(posted.balance.balanceTonnesReo), percent: posted.balance.utilisationPercent ?? '—',
              })}
            />
          ) : null}
        </Card>
      ) : null}

      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={24} xl={enterpriseUser ? 12 : 8}>
          <Card size="small" title={t('quota.chartByIndicator')}>
            <BarChart
              testId="chart-by-indicator" lang={i18n.language} height={220} format={tonnes}
              categories={present.map((i) => label(i))}
              series={[
                { name: t('quota.allocated'), color: CHART_COLORS.allocated, values: present.map((i) => allocatedOf(i)) },
                { name: t('quota.consumed'), color: CHART_COLORS.consumed, values: present.map((i) => num(s?.byIndicator.find((x) => x.indicator === i)?.consumedTonnesReo)) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={enterpriseUser ? 12 : 16}>
          <Card
            size="small"
            title={t('quota.chartMonthly', { indicator: ci ? label(ci) : '' })}
            extra={present.length > 1 ? (
              <Segmented size="small" value={ci} onChange={(v) => setChartIndicator(v as Indicator)} options={present.map((i) => ({ value: i, label: label(i) }))} data-testid="chart-indicator" />
            ) : null}
          >
            <LineChart
              testId="chart-monthly" lang={i18n.language} height={220} format={tonnes}
              categories={months.map((m) => t('quota.monthLabel', { month: m }))}
              series={ci ? [
                { name: t('quota.cumulativeConsumed'), color: CHART_COLORS.consumed, values: cumulative },
                { name: t('quota.thresholdLine', { percent: 80 }), color: CHART_COLORS.t80, dashed: true, values: months.map(() => ciAllocated * 0.8) },
                { name: t('quota.thresholdLine', { percent: 95 }), color: CHART_COLORS.t95, dashed: true, values: months.map(() => ciAllocated * 0.95) },
                { name: t('quota.allocated'), color: CHART_COLORS.t100, dashed: true, values: months.map(() => ciAllocated) },
              ] : []}
              emptyText={t('quota.noBalances', { year })}
            />
          </Card>
        </Col>
        {enterpriseUser ? null : (
          <>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('quota.chartByProvince', { indicator: ci ? label(ci) : '' })}>
                {(() => {
                  const rows = (s?.byProvince ?? []).filter((x) => x.indicator === ci).sort((a, b) => num(b.allocatedTonnesReo) - num(a.allocatedTonnesReo));
                  return (
                    <BarChart
                      testId="chart-by-province" lang={i18n.language} height={240} format={tonnes}
                      categories={rows.map((x) => provinceLabel(x.provinceCode, x.provinceNameZh))}
                      series={[
                        { name: t('quota.allocated'), color: CHART_COLORS.allocated, values: rows.map((x) => num(x.allocatedTonnesReo)) },
                        { name: t('quota.consumed'), color: CHART_COLORS.consumed, values: rows.map((x) => num(x.consumedTonnesReo)) },
                      ]}
                    />
                  );
                })()}
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('quota.chartByGroup', { indicator: ci ? label(ci) : '' })}>
                {(() => {
                  const rows = (s?.byGroup ?? []).filter((x) => x.indicator === ci).sort((a, b) => num(b.allocatedTonnesReo) - num(a.allocatedTonnesReo));
                  return (
                    <BarChart
                      testId="chart-by-group" lang={i18n.language} height={240} format={tonnes}
                      categories={rows.map((x) => groupLabel(x.groupId, x.groupNameZh))}
                      series={[
                        { name: t('quota.allocated'), color: CHART_COLORS.allocated, values: rows.map((x) => num(x.allocatedTonnesReo)) },
                        { name: t('quota.consumed'), color: CHART_COLORS.consumed, values: rows.map((x) => num(x.consumedTonnesReo)) },
                      ]}
                    />
                  );
                })()}
              </Card>
            </Col>
          </>
        )}
      </Row>

      <Card size="small" title={<span data-testid="alerts-title">{t('quota.alertsTitle', { count: alerts.data?.length ?? 0 })}</span>} style={{ marginBottom: 12 }}>
        {alerts.isError ? <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} /> : (
          <Table<QuotaAlert>
            size="small" rowKey="id" loading={alerts.isFetching} dataSource={alerts.data ?? []} pagination={{ pageSize: 10, size: 'small', hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }} data-testid="alerts-table"
            locale={{ emptyText: t('quota.noAlerts') }}
            columns={[
              { key: 'at', dataIndex: 'raisedAt', title: t('quota.raisedAt'), render: formatDateTime },
              ...(enterpriseUser ? [] : [{ key: 'enterprise', dataIndex: 'enterpriseNameZh', title: t('quota.enterprise') }]),
              { key: 'indicator', dataIndex: 'indicator', title: t('quota.indicatorLabel'), render: (i: Indicator) => label(i) },
              { key: 'kind', title: t('quota.alertKind'), render: (_, a) => <AlertTag a={a} /> },
              { key: 'consumed', title: t('quota.consumedOfAllocated'), align: 'right', render: (_, a) => `${formatTonnes(a.consumedTonnesReo)} / ${formatTonnes(a.allocatedTonnesReo)}` },
              {
                key: 'now', title: t('quota.alertNow'),
                render: (_, a) => {
                  const now = balanceRows.find((b) => b.enterpriseId === a.enterpriseId && b.indicator === a.indicator && b.year === a.year);
                  if (!now) return '';
                  const still = a.kind === 'over_quota' ? now.overQuota : now.thresholdsCrossed.includes(a.thresholdPercent);
                  return (
                    <Tooltip title={`${still ? t('quota.alertStillHelp') : t('quota.alertBackBelowHelp')} · ${t('quota.utilisation')} ${now.utilisationPercent ?? '—'}%`}>
                      <Tag color={still ? 'red' : 'green'} style={COMPACT_TAG} data-testid="alert-state">{still ? t('quota.alertStill') : t('quota.alertBackBelow')}</Tag>
                    </Tooltip>
                  );
                },
              },
            ]}
          />
        )}
      </Card>

      <Card size="small" title={t('quota.balancesTable')} style={{ marginBottom: 12 }}>
        {balances.isError ? <ErrorState error={balances.error} onRetry={() => void balances.refetch()} /> : (
          <Table<Balance>
            size="small" rowKey={(b) => `${b.enterpriseId}:${b.indicator}`} loading={balances.isFetching} dataSource={balanceRows} columns={columns}
            pagination={{ current: tablePage.current, pageSize: tablePage.size, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
            onChange={(p, _f, _s, extra) => setTablePage({ source: balances.data, rows: extra.currentDataSource, current: p.current ?? 1, size: p.pageSize ?? 50 })}
            scroll={{ x: enterpriseUser ? 700 : 1100 }} data-testid="balances-table"
            rowClassName={(b) => (b.overQuota ? 'quota-over' : '')}
          />
        )}
      </Card>

      <PenaltiesCard year={year} />

      {enterpriseUser && ownEnterpriseId ? (
        <Card size="small" title={t('quota.ledgerTitle', { year })}>
          <LedgerTable enterpriseId={ownEnterpriseId} year={year} />
        </Card>
      ) : null}

      <Drawer
        open={!!ledgerOf}
        onClose={() => setLedgerOf(null)}
        size="large"
        title={ledgerOf ? `${ledgerOf.enterpriseNameZh} · ${label(ledgerOf.indicator)} · ${year}` : ''}
        destroyOnHidden
      >
        {ledgerOf ? <LedgerTable enterpriseId={ledgerOf.enterpriseId} year={year} indicator={ledgerOf.indicator} /> : null}
      </Drawer>
    </>
  );
}
