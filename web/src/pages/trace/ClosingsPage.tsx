import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Flex, Form, Input, Popconfirm, Row, Segmented, Statistic, Table, Tag, Typography, App as AntApp, type TableColumnsType } from 'antd';
import { CheckOutlined, LockOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { CLOSING_STATUSES, traceApi, type ClosingItem, type ClosingResult, type ClosingStatus, type MassBalanceRow } from '../../api/trace';
import { BarChart } from '../../components/charts';
import { COMPACT_TAG, ErrorState, FilterBar, PageHeader, ProblemAlert } from '../../components/common';
import { DivisionText, useDivisionNames } from '../../components/divisions';
import { DivisionSelect } from '../../components/selects';
import { formatDate, localName } from '../../lib/format';
import { applyProblemToForm, problemSummary, ruleMessage } from '../../lib/problems';
import { useMe } from '../../lib/session';
import { CLOSING_CHART_COLOURS, ClosingStatusTag, formatKg, MonthPicker, ProductCodeSelect, previousMonthInChina, useEnterpriseUser, formatChinaTime } from './common';

/** The region a closing counts under, one level below the area shown (provinces nationally, prefectures in a province, counties below). */
function regionOf(item: ClosingItem, scope: string | null | undefined): string {
  if (!scope) return item.provinceCode;
  if (/^\d{2}0000$/.test(scope)) return /^\d{2}0000$/.test(item.divisionCode) ? item.divisionCode : `${item.divisionCode.slice(0, 4)}00`;
  return item.divisionCode;
}

/** Officials: how the enterprises of their area closed a month (GET /api/trace/closings). */
function RegionClosings() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [period, setPeriod] = useState(previousMonthInChina());
  const [divisionCode, setDivisionCode] = useState<string>();
  const [status, setStatus] = useState<ClosingStatus | 'all'>('all');
  const closings = useQuery({
    queryKey: ['trace', 'closings', period, divisionCode],
    queryFn: () => traceApi.closings({ year: period.year, month: period.month, divisionCode }),
  });
  const items = closings.data?.items ?? [];
  const scope = divisionCode ?? me.jurisdiction.divisionCode;
  const regions = [...new Set(items.map((i) => regionOf(i, scope)))].sort();
  const divisions = useDivisionNames([...regions, ...items.map((i) => i.divisionCode)]);
  const count = (s: ClosingStatus, region?: string) => items.filter((i) => i.status === s && (!region || regionOf(i, scope) === region)).length;
  const shown = status === 'all' ? items : items.filter((i) => i.status === status);

  const columns: TableColumnsType<ClosingItem> = [
    { key: 'enterprise', title: t('trace.enterprise'), render: (_, i) => localName(i18n.language, i), sorter: (a, b) => a.nameZh.localeCompare(b.nameZh, 'zh') },
    { key: 'division', title: t('common.division'), width: 180, render: (_, i) => <DivisionText code={i.divisionCode} names={divisions} />, sorter: (a, b) => a.divisionCode.localeCompare(b.divisionCode) },
    { key: 'status', dataIndex: 'status', title: t('common.state'), width: 100, render: (s: ClosingStatus) => <ClosingStatusTag status={s} />, sorter: (a, b) => CLOSING_STATUSES.indexOf(a.status) - CLOSING_STATUSES.indexOf(b.status) },
    { key: 'closedAt', dataIndex: 'closedAt', title: t('trace.closedAt'), width: 170, render: formatChinaTime },
    { key: 'closedBy', dataIndex: 'closedBy', title: t('trace.closedBy'), width: 130 },
  ];

  return (
    <>
      <FilterBar>
        <MonthPicker year={period.year} month={period.month} onChange={setPeriod} testId="closings-month" />
        <DivisionSelect placeholder={t('common.division')} value={divisionCode} onChange={setDivisionCode} style={{ width: 240 }} data-testid="closings-division" />
        {closings.data ? <Typography.Text type="secondary" data-testid="closings-deadline">{t('trace.deadline', { date: formatDate(closings.data.deadline) })}</Typography.Text> : null}
      </FilterBar>
      {closings.isError ? <ErrorState error={closings.error} onRetry={() => void closings.refetch()} /> : (
        <>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={24} xl={8}>
              <Card size="small" title={t('trace.closingCounts')}>
                <Row gutter={8}>
                  {CLOSING_STATUSES.map((s) => (
                    <Col span={6} key={s}>
                      <Statistic title={t(`trace.closingStatus.${s}`)} value={count(s)} styles={{ content: { color: CLOSING_CHART_COLOURS[s] } }} data-testid={`closings-count-${s}`} />
                    </Col>
                  ))}
                </Row>
              </Card>
            </Col>
            <Col xs={24} xl={16}>
              <Card size="small" title={t('trace.closingsByRegion')}>
                <BarChart
                  testId="closings-chart" lang={i18n.language} height={200}
                  categories={regions.map((r) => localName(i18n.language, divisions.get(r)) || r)}
                  series={CLOSING_STATUSES.map((s) => ({ name: t(`trace.closingStatus.${s}`), color: CLOSING_CHART_COLOURS[s], values: regions.map((r) => count(s, r)) }))}
                  format={(v) => String(v)}
                  emptyText={t('trace.noClosings')}
                />
              </Card>
            </Col>
          </Row>
          <Segmented<ClosingStatus | 'all'>
            size="small" value={status} onChange={setStatus} style={{ marginBottom: 8 }} data-testid="closings-status-filter"
            options={[{ value: 'all', label: t('common.all') }, ...CLOSING_STATUSES.map((s) => ({ value: s, label: `${t(`trace.closingStatus.${s}`)} ${count(s)}` }))]}
          />
          <Table<ClosingItem>
            size="small" rowKey="enterpriseId" loading={closings.isFetching} dataSource={shown} columns={columns} data-testid="closings-table"
            pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
            scroll={{ x: 'max-content' }} locale={{ emptyText: t('trace.noClosings') }}
          />
        </>
      )}
    </>
  );
}

function MassBalanceTable({ rows, loading }: { rows: MassBalanceRow[]; loading?: boolean }) {
  const { t, i18n } = useTranslation();
  const kg = (v: string | null) => formatKg(v, false);
  const columns: TableColumnsType<MassBalanceRow> = [
    { key: 'product', title: t('trace.product'), fixed: 'left', width: 200, ellipsis: true, render: (_, r) => <span title={r.productCode}>{localName(i18n.language, { nameZh: r.productNameZh, nameEn: r.productNameEn })}</span> },
    { key: 'openingKg', dataIndex: 'openingKg', title: t('trace.mb.opening'), align: 'right', render: kg },
    { key: 'receiptsKg', dataIndex: 'receiptsKg', title: t('trace.mb.receipts'), align: 'right', render: kg },
    { key: 'productionKg', dataIndex: 'productionKg', title: t('trace.mb.production'), align: 'right', render: kg },
    { key: 'useKg', dataIndex: 'useKg', title: t('trace.mb.use'), align: 'right', render: kg },
    { key: 'shipmentsKg', dataIndex: 'shipmentsKg', title: t('trace.mb.shipments'), align: 'right', render: kg },
    { key: 'closingKg', dataIndex: 'closingKg', title: t('trace.mb.closing'), align: 'right', render: (v: string) => <strong data-testid="mb-closing">{kg(v)}</strong> },
    { key: 'openingReoKg', dataIndex: 'openingReoKg', title: t('trace.mb.openingReo'), align: 'right', render: kg },
    { key: 'closingReoKg', dataIndex: 'closingReoKg', title: t('trace.mb.closingReo'), align: 'right', render: kg },
    { key: 'declaredKg', dataIndex: 'declaredKg', title: t('trace.mb.declared'), align: 'right', render: (v: string | null) => (v === null ? <Typography.Text type="secondary">{t('trace.mb.notDeclared')}</Typography.Text> : kg(v)) },
    {
      key: 'differenceKg', dataIndex: 'differenceKg', title: t('trace.mb.difference'), align: 'right',
      render: (v: string | null, r) => (v === null ? '' : <span style={{ color: r.withinTolerance === false ? '#cf1322' : undefined }}>{kg(v)}</span>),
    },
    {
      key: 'tolerance', dataIndex: 'withinTolerance', title: t('trace.mb.tolerance'),
      render: (v: boolean | null) => (v === null ? '' : v ? <Tag color="green" style={COMPACT_TAG}>{t('trace.mb.within')}</Tag> : <Tag color="red" style={COMPACT_TAG} data-testid="mb-outside">{t('trace.mb.outside')}</Tag>),
    },
  ];
  return (
    <Table<MassBalanceRow>
      size="small" rowKey="productCode" loading={loading} dataSource={rows} columns={columns} pagination={false} scroll={{ x: 'max-content' }}
      data-testid="mass-balance-table" locale={{ emptyText: t('trace.mb.empty') }}
      summary={() => (rows.length ? (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>{t('trace.mb.formula')}</Table.Summary.Cell>
          <Table.Summary.Cell index={1} colSpan={11} />
        </Table.Summary.Row>
      ) : null)}
    />
  );
}

interface StocktakeValues { productCode: string; closingKg: string }

function StocktakeForm({ year, month, onSaved }: { year: number; month: number; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<StocktakeValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (v: StocktakeValues) => traceApi.stocktake({ year, month, productCode: v.productCode, closingKg: String(v.closingKg).trim() }),
    onSuccess: () => {
      message.success(t('trace.stocktakeSaved'));
      form.resetFields(['closingKg']);
      onSaved();
    },
    onError: (e) => setProblems(applyProblemToForm(t, form, e, ['productCode', 'closingKg']).general),
  });
  return (
    <>
      <ProblemAlert messages={problems} />
      <Form<StocktakeValues>
        form={form} layout="inline" data-testid="stocktake-form"
        onFinish={(v) => {
          setProblems([]);
          save.mutate(v);
        }}
      >
        <Form.Item name="productCode" label={t('trace.product')} rules={[{ required: true, message: t('problems.rules.required') }]}>
          <ProductCodeSelect style={{ width: 260 }} data-testid="stocktake-product" />
        </Form.Item>
        <Form.Item
          name="closingKg" label={t('trace.stocktakeClosing')}
          rules={[{ required: true, message: t('problems.rules.required') }, { pattern: /^\d+(\.\d{1,3})?$/, message: t('trace.kgFormat') }]}
        >
          <Input suffix="kg" inputMode="decimal" style={{ width: 180 }} data-testid="stocktake-kg" />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} data-testid="stocktake-submit">{t('trace.declareStocktake')}</Button>
        </Form.Item>
      </Form>
    </>
  );
}

/** Enterprises: the month's mass balance, a stocktake, and closing the month (Art. 10). */
function EnterpriseClosing({ enterpriseId }: { enterpriseId: string | undefined }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [period, setPeriod] = useState(previousMonthInChina());
  const [result, setResult] = useState<ClosingResult | null>(null);
  const [closeError, setCloseError] = useState<string[]>([]);
  /** The server's objection to the month itself (not ended, already closed), shown at the month picker. */
  const [monthError, setMonthError] = useState<string | null>(null);
  const mb = useQuery({
    queryKey: ['trace', 'mass-balance', enterpriseId, period],
    queryFn: () => traceApi.massBalance({ enterpriseId, year: period.year, month: period.month }),
  });
  // The enterprise's own closing status, when the server shares it with enterprises.
  const closings = useQuery({
    queryKey: ['trace', 'closings', period, 'own'],
    queryFn: () => traceApi.closings({ year: period.year, month: period.month }),
    retry: false,
  });
  const own = closings.data?.items.find((i) => i.enterpriseId === enterpriseId) ?? null;
  const close = useMutation({
    mutationFn: () => traceApi.closeMonth(period.year, period.month),
    onSuccess: async (r) => {
      setResult(r);
      setCloseError([]);
      setMonthError(null);
      message.success(r.late ? t('trace.closedLate') : t('trace.closedOk'));
      await qc.invalidateQueries({ queryKey: ['trace'] });
    },
    onError: (e) => {
      const errors = isApiError(e) ? e.problem.errors ?? [] : [];
      const atMonth = errors.filter((x) => x.field === 'month' || x.field === 'year');
      const rest = errors.filter((x) => !atMonth.includes(x));
      setMonthError(atMonth.length ? atMonth.map((x) => ruleMessage(t, x)).join('；') : null);
      setCloseError(atMonth.length && rest.length === 0 ? [] : [problemSummary(t, e), ...rest.map((x) => ruleMessage(t, x))]);
    },
  });
  const shownResult = result && result.year === period.year && result.month === period.month ? result : null;
  const closed = !!shownResult || own?.status === 'closed' || own?.status === 'late';
  const rows = shownResult?.massBalance ?? mb.data?.items ?? [];

  return (
    <>
      <FilterBar>
        <Flex vertical>
          <MonthPicker year={period.year} month={period.month} onChange={(p) => { setPeriod(p); setCloseError([]); setMonthError(null); }} testId="closing-month" status={monthError ? 'error' : undefined} />
          {monthError ? <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="closing-month-error">{monthError}</Typography.Text> : null}
        </Flex>
        {own ? <ClosingStatusTag status={own.status} /> : null}
        {closings.data ? <Typography.Text type="secondary" data-testid="closing-deadline">{t('trace.deadline', { date: formatDate(closings.data.deadline) })}</Typography.Text> : null}
        <span style={{ flex: 1 }} />
        <Popconfirm
          title={t('trace.closeConfirm', { year: period.year, month: period.month })}
          description={t('trace.closeConfirmHelp')}
          okText={t('trace.closeMonth')} cancelText={t('common.cancel')}
          okButtonProps={{ loading: close.isPending, ...({ 'data-testid': 'confirm-close-month' } as Record<string, string>) }}
          onConfirm={() => close.mutateAsync().catch(() => undefined)}
          disabled={closed}
        >
          <Button type="primary" icon={closed ? <CheckOutlined /> : <LockOutlined />} disabled={closed} loading={close.isPending} data-testid="close-month">
            {closed ? t('trace.monthClosed') : t('trace.closeMonth')}
          </Button>
        </Popconfirm>
      </FilterBar>
      <ProblemAlert messages={closeError} />
      {shownResult ? (
        <Alert
          type={shownResult.late ? 'warning' : 'success'} showIcon style={{ marginBottom: 12 }} data-testid="closing-result"
          title={shownResult.late ? t('trace.closedLate') : t('trace.closedOk')}
          description={<Descriptions size="small" column={3} items={[
            { key: 'month', label: t('trace.month'), children: t('trace.yearMonth', { year: shownResult.year, month: shownResult.month }) },
            { key: 'deadline', label: t('trace.deadlineLabel'), children: formatDate(shownResult.deadline) },
            { key: 'closedAt', label: t('trace.closedAt'), children: formatChinaTime(shownResult.closedAt) },
          ]} />}
        />
      ) : null}
      <Card size="small" title={t('trace.massBalanceTitle', { year: period.year, month: period.month })} style={{ marginBottom: 12 }}>
        {mb.isError && !shownResult ? <ErrorState error={mb.error} onRetry={() => void mb.refetch()} /> : <MassBalanceTable rows={rows} loading={mb.isFetching} />}
      </Card>
      <Card size="small" title={t('trace.stocktakeTitle')}>
        <Typography.Paragraph type="secondary">{t('trace.stocktakeHelp')}</Typography.Paragraph>
        <StocktakeForm key={`${period.year}-${period.month}`} year={period.year} month={period.month} onSaved={() => void qc.invalidateQueries({ queryKey: ['trace', 'mass-balance'] })} />
      </Card>
    </>
  );
}

export function ClosingsPage() {
  const { t } = useTranslation();
  const { enterpriseUser, enterpriseId } = useEnterpriseUser();
  return (
    <>
      <PageHeader title={t('trace.closingsTitle')} />
      <Typography.Paragraph type="secondary">{t('trace.closingsHelp')}</Typography.Paragraph>
      {enterpriseUser ? <EnterpriseClosing enterpriseId={enterpriseId} /> : <RegionClosings />}
    </>
  );
}
