import { useState } from 'react';
import { AutoComplete, Button, DatePicker, Descriptions, Drawer, Flex, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { formatChinaTime } from './common';
import { BIZ_STEPS, EVENT_TYPES, lotNumberOf, traceApi, type EpcisEvent } from '../../api/trace';
import { COMPACT_TAG, ErrorState, FilterBar, PageHeader } from '../../components/common';


/** "urn:epcglobal:cbv:bizstep:shipping" or "https://ref.gs1.org/cbv/BizStep-shipping" → "shipping". */
export function bareWord(v: string | undefined): string {
  if (!v) return '';
  const m = /(?:BizStep-|Disp-|bizstep:|disp:)([A-Za-z_]+)$/.exec(v);
  return m ? m[1]! : v;
}

/**
 * Lots are EPC classes (a GS1 key with a lot, /10/…, or urn:epc:class:…), matched by MATCH_epcClass;
 * anything else is taken for an EPC instance (MATCH_anyEPC).
 */
export function epcFilter(value: string): { MATCH_epcClass?: string; MATCH_anyEPC?: string } {
  const v = value.trim();
  if (!v) return {};
  return /\/10\/[^/]+$|^urn:epc:class:/.test(v) ? { MATCH_epcClass: v } : { MATCH_anyEPC: v };
}

type Quantity = { epcClass: string; quantity?: number; uom?: string };

/** Every lot (EPC class) an event names, with its quantity and the list it appears in. */
export function eventLots(e: EpcisEvent): { list: 'in' | 'out' | 'qty'; q: Quantity }[] {
  return [
    ...(e.inputQuantityList ?? []).map((q) => ({ list: 'in' as const, q })),
    ...(e.outputQuantityList ?? []).map((q) => ({ list: 'out' as const, q })),
    ...(e.quantityList ?? []).map((q) => ({ list: 'qty' as const, q })),
  ];
}

function QuantityTags({ e }: { e: EpcisEvent }) {
  const { t } = useTranslation();
  const lots = eventLots(e);
  if (lots.length === 0) return <>{(e.epcList ?? []).length ? t('trace.epcCount', { count: e.epcList!.length }) : ''}</>;
  return (
    <Flex gap={3} wrap>
      {lots.slice(0, 4).map(({ list, q }, i) => (
        <Tag key={i} style={COMPACT_TAG} color={list === 'in' ? 'orange' : list === 'out' ? 'green' : undefined} title={q.epcClass}>
          {list === 'qty' ? '' : `${t(`trace.quantityList.${list}`)} `}{lotNumberOf(q.epcClass)}{q.quantity !== undefined ? ` · ${q.quantity} ${q.uom ?? ''}` : ''}
        </Tag>
      ))}
      {lots.length > 4 ? <Tag style={COMPACT_TAG}>+{lots.length - 4}</Tag> : null}
    </Flex>
  );
}

function EventDrawer({ event, onClose }: { event: EpcisEvent | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={!!event} onClose={onClose} size="large" title={event ? `${t(`trace.eventTypes.${event.type}`, { defaultValue: event.type })} · ${formatChinaTime(event.eventTime)}` : ''} destroyOnHidden data-testid="event-drawer">
      {event ? (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('trace.eventId')}><Typography.Text copyable style={{ fontFamily: 'monospace', fontSize: 12 }}>{event.eventID ?? ''}</Typography.Text></Descriptions.Item>
            {event.bizStep ? <Descriptions.Item label={t('trace.bizStep')}>{t(`trace.bizSteps.${bareWord(event.bizStep)}`, { defaultValue: bareWord(event.bizStep) })}</Descriptions.Item> : null}
            {eventLots(event).length ? (
              <Descriptions.Item label={t('trace.lots')}>
                <Space direction="vertical" size={2}>
                  {eventLots(event).map(({ list, q }, i) => (
                    <span key={i}>
                      <Tag style={COMPACT_TAG}>{t(`trace.quantityList.${list}`)}</Tag>{' '}
                      <Link to="/trace/lots/view" search={{ uri: q.epcClass }} data-testid="event-lot-link">{q.epcClass}</Link>
                      {q.quantity !== undefined ? ` · ${q.quantity} ${q.uom ?? ''}` : ''}
                    </span>
                  ))}
                </Space>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Typography.Text strong>{t('trace.eventJson')}</Typography.Text>
          <pre style={{ background: '#fafafa', border: '1px solid #f0f0f0', padding: 8, fontSize: 12, overflow: 'auto', maxHeight: '60vh' }} data-testid="event-json">
            {JSON.stringify(event, null, 2)}
          </pre>
        </>
      ) : null}
    </Drawer>
  );
}

/** Events browser: the EPCIS 2.0 query (GET /epcis/events) with filters and keyset paging. */
export function EventsPage() {
  const { t } = useTranslation();
  const [eventType, setEventType] = useState<string>();
  const [bizStep, setBizStep] = useState('');
  const [bizStepInput, setBizStepInput] = useState('');
  const { epc: epcFromLink } = useSearch({ strict: false }) as { epc?: string };
  const [epc, setEpc] = useState(epcFromLink ?? '');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [perPage, setPerPage] = useState(30);
  // Tokens of the pages visited so far: tokens[i] opens page i (the first page has none).
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [open, setOpen] = useState<EpcisEvent | null>(null);
  const filters = {
    eventType, EQ_bizStep: bizStep.trim() || undefined, ...epcFilter(epc),
    GE_eventTime: range?.[0]?.toISOString(), LT_eventTime: range?.[1]?.toISOString(), perPage,
  };
  const filterKey = JSON.stringify(filters);
  const [lastKey, setLastKey] = useState(filterKey);
  if (filterKey !== lastKey) {
    setLastKey(filterKey);
    setTokens([undefined]);
  }
  const pageIndex = tokens.length - 1;
  const token = tokens[pageIndex];
  const page = useQuery({
    queryKey: ['trace', 'events', filters, token],
    queryFn: () => traceApi.events({ ...filters, nextPageToken: token }),
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<EpcisEvent> = [
    { key: 'eventTime', dataIndex: 'eventTime', title: t('trace.eventTime'), width: 160, render: (v: string) => formatChinaTime(v) },
    { key: 'type', dataIndex: 'type', title: t('trace.eventType'), width: 150, render: (v: string) => t(`trace.eventTypes.${v}`, { defaultValue: v }) },
    { key: 'action', dataIndex: 'action', title: t('trace.action'), width: 80, render: (v?: string) => (v ? <Tag style={COMPACT_TAG}>{v}</Tag> : '') },
    { key: 'bizStep', dataIndex: 'bizStep', title: t('trace.bizStep'), width: 110, render: (v?: string) => (v ? t(`trace.bizSteps.${bareWord(v)}`, { defaultValue: bareWord(v) }) : '') },
    { key: 'location', title: t('trace.bizLocation'), ellipsis: true, render: (_, e) => <span title={e.bizLocation?.id}>{e.bizLocation?.id ? lotNumberOf(e.bizLocation.id) : ''}</span> },
    { key: 'lots', title: t('trace.lotsAndQuantities'), render: (_, e) => <QuantityTags e={e} /> },
    { key: 'error', title: '', width: 60, render: (_, e) => (e.errorDeclaration ? <Tag color="purple" style={COMPACT_TAG}>{t('trace.errorDeclared')}</Tag> : null) },
  ];

  return (
    <>
      <PageHeader title={t('trace.eventsTitle')} />
      <FilterBar>
        <Select
          allowClear placeholder={t('trace.eventType')} value={eventType} onChange={setEventType} style={{ width: 190 }} data-testid="events-type"
          options={EVENT_TYPES.map((v) => ({ value: v, label: t(`trace.eventTypes.${v}`) }))}
        />
        <AutoComplete
          allowClear placeholder={t('trace.bizStep')} value={bizStepInput} style={{ width: 170 }} data-testid="events-bizstep"
          // Typing does not query on every key: the step applies when picked, on Enter, on leaving the field or when cleared.
          onChange={(v) => {
            setBizStepInput(v ?? '');
            if (!v) setBizStep('');
          }}
          onSelect={(v: string) => setBizStep(v)}
          onBlur={() => setBizStep(bizStepInput)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') setBizStep(bizStepInput);
          }}
          options={BIZ_STEPS.map((v) => ({ value: v, label: `${t(`trace.bizSteps.${v}`)} (${v})` }))}
          filterOption={(input, o) => String(o?.label ?? '').toLowerCase().includes(input.toLowerCase())}
        />
        <DatePicker.RangePicker showTime value={range} onChange={(v) => setRange(v)} placeholder={[t('trace.from'), t('trace.to')]} data-testid="events-range" />
        <Input.Search allowClear defaultValue={epcFromLink} placeholder={t('trace.epcPlaceholder')} onSearch={(v) => setEpc(v)} style={{ width: 320 }} data-testid="events-epc" />
      </FilterBar>
      {page.isError ? <ErrorState error={page.error} onRetry={() => void page.refetch()} /> : (
        <>
          <Table<EpcisEvent>
            size="small" rowKey={(e) => e.eventID ?? `${e.eventTime}-${e.type}`} loading={page.isFetching} dataSource={page.data?.events ?? []} columns={columns}
            pagination={false} scroll={{ x: 'max-content' }} data-testid="events-table"
            locale={{ emptyText: t('trace.noEvents') }}
            onRow={(e) => ({ onClick: () => setOpen(e), style: { cursor: 'pointer' } })}
          />
          <Flex justify="flex-end" align="center" gap={8} style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">{t('trace.pageN', { page: pageIndex + 1 })}</Typography.Text>
            <Button size="small" icon={<LeftOutlined />} disabled={pageIndex === 0} onClick={() => setTokens(tokens.slice(0, -1))} data-testid="events-prev">{t('trace.previous')}</Button>
            <Button size="small" disabled={!page.data?.nextPageToken || page.isPlaceholderData} onClick={() => setTokens([...tokens, page.data!.nextPageToken!])} data-testid="events-next">
              {t('trace.next')} <RightOutlined />
            </Button>
            <Select<number> size="small" value={perPage} onChange={setPerPage} style={{ width: 110 }} options={[30, 50, 100, 200].map((n) => ({ value: n, label: t('trace.perPage', { n }) }))} />
          </Flex>
        </>
      )}
      <EventDrawer event={open} onClose={() => setOpen(null)} />
    </>
  );
}
