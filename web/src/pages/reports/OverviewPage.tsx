import { useMemo, type HTMLAttributes, type ReactNode } from 'react';
import { Breadcrumb, Card, Col, Empty, Flex, Row, Statistic, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { NATIONAL_KEY, reportsApi, type Execution, type IndicatorLine, type ReportAlert, type UnitStatus } from '../../api/reports';
import { CHART_COLORS } from '../../components/charts';
import { ErrorState, FilterBar, Loading, PageHeader } from '../../components/common';
import { DivisionText, useDivisionNames } from '../../components/divisions';
import { EChart, type EChartOption } from '../../components/echart';
import { formatDate, localName } from '../../lib/format';
import { can, isEnterpriseRole } from '../../lib/permissions';
import { useMe } from '../../lib/session';
import { useIndicatorLabel, Utilisation } from '../quota/common';
import { formatChinaTime } from '../trace/common';
import {
  gramsToTonnes, gramsToTonnesNumber, LateTag, OverdueTag, PeriodPicker, periodYear, previousPeriod, ReportStatusTag, tonnesLabel, useLevelLabel, usePeriodLabel,
} from './common';

export interface OverviewSearch { period?: string; divisionCode?: string }

const right = 'right' as const;
const INDICATOR_COLOURS: Record<string, string> = {
  mining: CHART_COLORS.mining, mining_rock_type: CHART_COLORS.mining_rock_type, mining_ion_adsorption: CHART_COLORS.mining_ion_adsorption, smelting_separation: CHART_COLORS.smelting_separation,
};

/** Figures of a unit's lines, one per indicator, stacked in a cell. */
function Stacked({ lines, render, testId }: { lines: IndicatorLine[] | null; render: (l: IndicatorLine) => ReactNode; testId: string }) {
  if (!lines || lines.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex vertical gap={2}>
      {lines.map((l) => <span key={l.indicator} data-testid={testId} data-indicator={l.indicator} style={{ whiteSpace: 'nowrap' }}>{render(l)}</span>)}
    </Flex>
  );
}

function StatusCell({ u }: { u: UnitStatus }) {
  return (
    <Flex gap={3} wrap>
      <ReportStatusTag status={u.status} testId="unit-status" />
      <OverdueTag overdue={u.overdue} />
      <LateTag late={u.late} />
    </Flex>
  );
}

/** The division chain from the viewer's own unit down to the one shown, for the breadcrumb. */
function useChain(root: string, current: string): string[] {
  const names = useDivisionNames([current]);
  if (current === root) return [root];
  const d = names.get(current);
  const path = [...new Set([d?.provinceCode, d?.prefectureCode, current].filter((c): c is string => !!c))];
  if (root === NATIONAL_KEY) return [root, ...path];
  const at = path.indexOf(root);
  return at >= 0 ? [root, ...path.slice(at + 1)] : [root, current];
}

function ExecutionCharts({ execution, unitName }: { execution: Execution; unitName: string }) {
  const { t, i18n } = useTranslation();
  const label = useIndicatorLabel();
  const months = execution.months.map((m) => (i18n.language === 'en' ? t(`reports.monthShort.${m.month}`) : `${m.month}月`));
  const indicators = [...new Set(execution.months.flatMap((m) => m.lines.map((l) => l.indicator)))];
  const lineOf = (m: Execution['months'][number], i: string) => m.lines.find((l) => l.indicator === i) ?? null;
  const cumulative: EChartOption = useMemo(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${tonnesLabel(Number(v))} t` },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 64, right: 16, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', name: t('reports.tonnesReo'), nameTextStyle: { align: 'left' } },
    series: indicators.flatMap((i) => [
      {
        type: 'line' as const, name: `${label(i)} · ${t('reports.yearToDate')}`, color: INDICATOR_COLOURS[i],
        data: execution.months.map((m) => { const l = lineOf(m, i); return l ? gramsToTonnesNumber(l.yearToDateReoGrams) : null; }), connectNulls: false, symbolSize: 6,
      },
      {
        type: 'line' as const, name: `${label(i)} · ${t('reports.allocated')}`, color: INDICATOR_COLOURS[i], lineStyle: { type: 'dashed' as const, width: 1.5 }, symbol: 'none',
        data: execution.months.map((m) => { const l = lineOf(m, i); return l ? gramsToTonnesNumber(l.allocatedReoGrams) : null; }),
      },
    ]),
  }), [execution, i18n.language]);
  const monthly: EChartOption = useMemo(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${tonnesLabel(Number(v))} t` },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 64, right: 16, top: 24, bottom: 48 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', name: t('reports.tonnesReo'), nameTextStyle: { align: 'left' } },
    series: indicators.map((i) => ({
      type: 'bar' as const, name: label(i), color: INDICATOR_COLOURS[i],
      data: execution.months.map((m) => { const l = lineOf(m, i); return l ? gramsToTonnesNumber(l.periodReoGrams) : 0; }),
    })),
  }), [execution, i18n.language]);
  if (indicators.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.noExecution', { year: execution.year })} />;
  return (
    <Row gutter={12}>
      <Col xs={24} xl={12}>
        <Typography.Text strong>{t('reports.cumulativeChart', { name: unitName, year: execution.year })}</Typography.Text>
        <EChart option={cumulative} height={280} testId="execution-cumulative" />
      </Col>
      <Col xs={24} xl={12}>
        <Typography.Text strong>{t('reports.monthlyChart', { name: unitName, year: execution.year })}</Typography.Text>
        <EChart option={monthly} height={280} testId="execution-monthly" />
      </Col>
    </Row>
  );
}

function OutstandingTable({ rows, testId, onOpen }: { rows: UnitStatus[]; testId: string; onOpen: (u: UnitStatus) => void }) {
  const { t, i18n } = useTranslation();
  const level = useLevelLabel();
  const names = useDivisionNames(rows.map((r) => (r.parentKey && /^\d{6}$/.test(r.parentKey) ? r.parentKey : null)));
  const columns: TableColumnsType<UnitStatus> = [
    { key: 'level', dataIndex: 'level', title: t('common.level'), width: 80, render: level },
    { key: 'name', title: t('common.name'), render: (_, u) => <a onClick={() => onOpen(u)} data-testid="outstanding-name" data-key={u.key}>{localName(i18n.language, u)}</a> },
    { key: 'parent', dataIndex: 'parentKey', title: t('reports.parentUnit'), render: (v: string | null) => (v && /^\d{6}$/.test(v) ? <DivisionText code={v} names={names} /> : v === NATIONAL_KEY ? t('reports.level.national') : '') },
    { key: 'status', title: t('common.state'), render: (_, u) => <StatusCell u={u} /> },
    { key: 'due', dataIndex: 'dueDate', title: t('reports.due'), render: formatDate },
    { key: 'submittedAt', dataIndex: 'submittedAt', title: t('reports.submittedAt'), render: formatChinaTime },
    { key: 'reason', dataIndex: 'returnReason', title: t('reports.returnReason'), render: (v: string | null) => v ?? '' },
  ];
  return (
    <Table<UnitStatus>
      size="small" rowKey={(u) => `${u.level}:${u.key}`} dataSource={rows} columns={columns} data-testid={testId} scroll={{ x: 'max-content' }}
      pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }} locale={{ emptyText: t('reports.nothingOutstanding') }}
    />
  );
}

function AlertsTable() {
  const { t } = useTranslation();
  const level = useLevelLabel();
  const periodLabel = usePeriodLabel();
  const alerts = useQuery({ queryKey: ['reports', 'alerts', 'open'], queryFn: () => reportsApi.alerts(true), retry: false });
  const names = useDivisionNames((alerts.data ?? []).map((a) => a.divisionCode));
  if (alerts.isError) return <ErrorState error={alerts.error} />;
  const columns: TableColumnsType<ReportAlert> = [
    { key: 'kind', dataIndex: 'kind', title: t('reports.alertKind'), render: (k: string) => t(`reports.alertKinds.${k}`, { defaultValue: k }) },
    { key: 'level', dataIndex: 'level', title: t('common.level'), render: level },
    { key: 'division', dataIndex: 'divisionCode', title: t('common.division'), render: (c: string | null) => <DivisionText code={c} names={names} /> },
    { key: 'subject', dataIndex: 'subjectKey', title: t('reports.subject'), render: (k: string, a) => (a.level === 'enterprise' ? <Link to="/enterprises/$id" params={{ id: k }}>{t('reports.enterpriseLink')}</Link> : k) },
    { key: 'period', dataIndex: 'period', title: t('reports.period'), render: periodLabel },
    { key: 'due', dataIndex: 'dueDate', title: t('reports.due'), render: formatDate },
    { key: 'raised', dataIndex: 'raisedAt', title: t('reports.raisedAt'), render: formatChinaTime },
  ];
  return <Table<ReportAlert> size="small" rowKey="id" loading={alerts.isFetching} dataSource={alerts.data ?? []} columns={columns} pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }} scroll={{ x: 'max-content' }} data-testid="alerts-table" />;
}

/** Officials and ministries: where reporting stands for a period, drilling down the divisions, with the year's execution. */
export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as OverviewSearch;
  const periodLabel = usePeriodLabel();
  const level = useLevelLabel();
  const root = me.jurisdiction.level === 'national' ? NATIONAL_KEY : me.jurisdiction.divisionCode ?? NATIONAL_KEY;
  const period = search.period ?? previousPeriod();
  const current = search.divisionCode ?? root;
  const go = (next: OverviewSearch) => void navigate({ to: '/reports/overview', search: { period: next.period ?? period, divisionCode: next.divisionCode === root ? undefined : next.divisionCode } });
  const overview = useQuery({
    queryKey: ['reports', 'overview', period, current],
    queryFn: () => reportsApi.overview(period, current === root ? undefined : current),
  });
  const year = periodYear(period);
  const execution = useQuery({
    queryKey: ['reports', 'execution', year, current],
    queryFn: () => reportsApi.execution(year, current === root ? undefined : current),
  });
  const chain = useChain(root, current);
  const chainNames = useDivisionNames(chain);
  const label = useIndicatorLabel();

  if (isEnterpriseRole(me.role) || !can(me, 'reports.read')) return <ErrorState error={new ApiError(403, {})} />;

  const open = (u: UnitStatus) => {
    if (u.level === 'enterprise') {
      if (u.reportId) void navigate({ to: '/reports/$id', params: { id: u.reportId } });
      else void navigate({ to: '/enterprises/$id', params: { id: u.key } });
    } else if (u.childCount > 0) go({ divisionCode: u.key });
    else if (u.reportId) void navigate({ to: '/reports/$id', params: { id: u.reportId } });
  };

  const chainLabel = (key: string) => (key === NATIONAL_KEY ? t('reports.national') : localName(i18n.language, chainNames.get(key)) || (overview.data?.unit.key === key ? localName(i18n.language, overview.data.unit) : key));
  const o = overview.data;
  const children = o?.children ?? [];
  const count = (pred: (u: UnitStatus) => boolean) => children.filter(pred).length;

  const columns: TableColumnsType<UnitStatus> = [
    {
      key: 'name', title: t('common.name'), fixed: 'left',
      render: (_, u) => {
        const name = localName(i18n.language, u);
        const drillable = u.level === 'enterprise' ? true : u.childCount > 0 || !!u.reportId;
        return drillable ? <a onClick={() => open(u)} data-testid="child-link" data-key={u.key}>{name}</a> : <span data-testid="child-link" data-key={u.key}>{name}</span>;
      },
      sorter: (a, b) => a.key.localeCompare(b.key),
    },
    { key: 'level', dataIndex: 'level', title: t('common.level'), width: 70, render: level },
    { key: 'status', title: t('common.state'), render: (_, u) => <StatusCell u={u} />, sorter: (a, b) => a.status.localeCompare(b.status) },
    { key: 'due', dataIndex: 'dueDate', title: t('reports.due'), render: formatDate },
    { key: 'submittedAt', dataIndex: 'submittedAt', title: t('reports.submittedAt'), render: formatChinaTime },
    { key: 'indicator', title: t('quota.indicatorLabel'), render: (_, u) => <Stacked lines={u.lines} testId="child-indicator" render={(l) => label(l.indicator)} /> },
    { key: 'period', title: t('reports.periodProduction'), align: right, render: (_, u) => <Stacked lines={u.lines} testId="child-period" render={(l) => gramsToTonnes(l.periodReoGrams)} /> },
    { key: 'ytd', title: t('reports.yearToDate'), align: right, render: (_, u) => <Stacked lines={u.lines} testId="child-ytd" render={(l) => gramsToTonnes(l.yearToDateReoGrams)} /> },
    { key: 'allocated', title: t('reports.allocated'), align: right, render: (_, u) => <Stacked lines={u.lines} testId="child-allocated" render={(l) => gramsToTonnes(l.allocatedReoGrams)} /> },
    { key: 'utilisation', title: t('reports.utilisation'), align: right, render: (_, u) => <Stacked lines={u.lines} testId="child-utilisation" render={(l) => <Utilisation percent={l.utilisationPercent} />} /> },
    { key: 'count', dataIndex: 'enterpriseReports', title: t('reports.enterpriseReports'), align: right, render: (v: number | null) => v ?? '' },
    {
      key: 'report', title: t('reports.report'),
      render: (_, u) => (u.reportId ? <Link to="/reports/$id" params={{ id: u.reportId }} data-testid="child-report">{t('reports.versionN', { version: u.version })}</Link> : ''),
    },
  ];

  return (
    <>
      <PageHeader title={root === NATIONAL_KEY ? t('reports.overviewNationalTitle') : t('reports.overviewTitle')} />
      <FilterBar>
        <PeriodPicker value={period} onChange={(p) => go({ period: p, divisionCode: current })} testId="overview-period" />
        <Breadcrumb
          data-testid="overview-breadcrumb"
          items={chain.map((key, i) => ({
            key,
            title: i === chain.length - 1
              ? <span data-testid="crumb" data-key={key}>{chainLabel(key)}</span>
              : <a onClick={() => go({ divisionCode: key })} data-testid="crumb" data-key={key}>{chainLabel(key)}</a>,
          }))}
        />
      </FilterBar>
      {overview.isPending ? <Loading /> : overview.isError ? <ErrorState error={overview.error} onRetry={() => void overview.refetch()} /> : (
        <>
          <Card size="small" style={{ marginBottom: 12 }} data-testid="overview-unit"
            title={<Flex gap={8} align="center" wrap><span data-testid="overview-unit-name">{localName(i18n.language, o!.unit)}</span><Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>{level(o!.unit.level)} · {periodLabel(o!.period)}</Typography.Text></Flex>}
            extra={<Flex gap={8} align="center"><StatusCell u={o!.unit} />{o!.unit.reportId ? <Link to="/reports/$id" params={{ id: o!.unit.reportId }} data-testid="unit-report">{t('reports.openReport')}</Link> : null}</Flex>}
          >
            <Row gutter={12}>
              <Col xs={12} md={4}><Statistic title={t('reports.childUnits')} value={children.length} /></Col>
              <Col xs={12} md={4}><Statistic title={t('reports.status.accepted')} value={count((u) => u.status === 'accepted')} styles={{ content: { color: '#389e0d' } }} /></Col>
              <Col xs={12} md={4}><Statistic title={t('reports.status.submitted')} value={count((u) => u.status === 'submitted')} styles={{ content: { color: '#1677ff' } }} /></Col>
              <Col xs={12} md={4}><Statistic title={t('reports.status.missing')} value={count((u) => u.status === 'missing')} styles={{ content: { color: '#cf1322' } }} data-testid="count-missing" /></Col>
              <Col xs={12} md={4}><Statistic title={t('reports.status.returned')} value={count((u) => u.status === 'returned')} styles={{ content: { color: '#d4380d' } }} /></Col>
              <Col xs={12} md={4}><Statistic title={t('reports.dueLabel')} value={formatDate(o!.unit.dueDate)} /></Col>
            </Row>
          </Card>
          <Card size="small" title={t('reports.childrenTitle')} style={{ marginBottom: 12 }}>
            <Table<UnitStatus>
              size="small" rowKey={(u) => `${u.level}:${u.key}`} dataSource={children} columns={columns} data-testid="overview-children" scroll={{ x: 'max-content' }}
              pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
              onRow={(u) => ({ 'data-testid': 'child-row', 'data-key': u.key, 'data-status': u.status } as HTMLAttributes<HTMLElement>)}
              summary={() => (o!.childrenTotal.length ? (
                <Table.Summary.Row data-testid="children-total">
                  <Table.Summary.Cell index={0} colSpan={5}><strong>{t('reports.childrenTotal')}</strong></Table.Summary.Cell>
                  <Table.Summary.Cell index={5}><Stacked lines={o!.childrenTotal} testId="total-indicator" render={(l) => label(l.indicator)} /></Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right"><strong><Stacked lines={o!.childrenTotal} testId="total-period" render={(l) => gramsToTonnes(l.periodReoGrams)} /></strong></Table.Summary.Cell>
                  <Table.Summary.Cell index={7} align="right"><Stacked lines={o!.childrenTotal} testId="total-ytd" render={(l) => gramsToTonnes(l.yearToDateReoGrams)} /></Table.Summary.Cell>
                  <Table.Summary.Cell index={8} align="right"><Stacked lines={o!.childrenTotal} testId="total-allocated" render={(l) => gramsToTonnes(l.allocatedReoGrams)} /></Table.Summary.Cell>
                  <Table.Summary.Cell index={9} align="right"><Stacked lines={o!.childrenTotal} testId="total-utilisation" render={(l) => <Utilisation percent={l.utilisationPercent} />} /></Table.Summary.Cell>
                  <Table.Summary.Cell index={10} colSpan={2} />
                </Table.Summary.Row>
              ) : null)}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('reports.figuresHelp')}</Typography.Text>
          </Card>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Tabs
              size="small"
              items={[
                { key: 'outstanding', label: <span data-testid="tab-outstanding">{t('reports.outstandingTab', { count: o!.outstanding.length })}</span>, children: <OutstandingTable rows={o!.outstanding} testId="outstanding-table" onOpen={open} /> },
                { key: 'late', label: <span data-testid="tab-late">{t('reports.lateTab', { count: o!.late.length })}</span>, children: <OutstandingTable rows={o!.late} testId="late-table" onOpen={open} /> },
                { key: 'alerts', label: <span data-testid="tab-alerts">{t('reports.alertsTab')}</span>, children: <AlertsTable /> },
              ]}
            />
          </Card>
        </>
      )}
      <Card size="small" title={t('reports.executionTitle', { year })}>
        {execution.isPending ? <Loading /> : execution.isError ? <ErrorState error={execution.error} onRetry={() => void execution.refetch()} />
          : <ExecutionCharts execution={execution.data} unitName={o ? localName(i18n.language, o.unit) : ''} />}
      </Card>
    </>
  );
}
