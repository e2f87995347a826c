import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ArrowLeftOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { lotNumberOf, traceApi, type Holding, type Lot, type Movement } from '../../api/trace';
import { COMPACT_TAG, ErrorState, FilterBar, Loading, PageHeader } from '../../components/common';
import { useDivisionNames } from '../../components/divisions';
import { localName } from '../../lib/format';
import { canSee } from '../../lib/permissions';
import { useMe } from '../../lib/session';
import { useServerTable } from '../../lib/table';
import { FormModal } from '../../components/FormModal';
import { GenealogyGraph } from './GenealogyGraph';
import { formatKg, LotUri, ProductCodeSelect, QuotaTag, shortEventId, VerifyLink, formatChinaTime } from './common';

function HoldingsText({ holdings }: { holdings: Holding[] }) {
  const { i18n } = useTranslation();
  return <>{holdings.map((h) => `${localName(i18n.language, h)} ${formatKg(h.kg)}`).join('；')}</>;
}

interface MintValues { productCode: string; lotNumber?: string }

/** Enterprise users mint a lot identifier (POST /api/trace/lots/mint) and get its QR code for the public verification page. */
function MintLot() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [minted, setMinted] = useState<{ uri: string; verifyUrl: string; qrSvg: string } | null>(null);
  return (
    <>
      <Button icon={<QrcodeOutlined />} onClick={() => setOpen(true)} data-testid="mint-open">{t('trace.mint.open')}</Button>
      {open ? (
        <FormModal<MintValues>
          title={t('trace.mint.title')} fields={['productCode', 'lotNumber']} testId="mint-modal" okText={t('trace.mint.submit')}
          onClose={() => setOpen(false)}
          onSubmit={async (v) => setMinted(await traceApi.mint({ productCode: v.productCode, lotNumber: v.lotNumber?.trim() || null }))}
        >
          <Form.Item name="productCode" label={t('trace.product')} rules={[{ required: true, message: t('problems.rules.required') }]}>
            <ProductCodeSelect data-testid="mint-product" />
          </Form.Item>
          <Form.Item name="lotNumber" label={t('trace.mint.lotNumber')} extra={t('trace.mint.lotNumberHelp')}>
            <Input maxLength={40} data-testid="mint-lot-number" />
          </Form.Item>
        </FormModal>
      ) : null}
      <Modal open={!!minted} onCancel={() => setMinted(null)} footer={null} title={t('trace.mint.done')} data-testid="mint-result">
        {minted ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <LotUri uri={minted.uri} />
            <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(minted.qrSvg)}`} alt={minted.verifyUrl} style={{ width: 200, height: 200 }} data-testid="mint-qr" />
            <Typography.Link href={minted.verifyUrl} target="_blank" rel="noopener">{minted.verifyUrl}</Typography.Link>
            <Typography.Text type="secondary">{t('trace.mint.help')}</Typography.Text>
          </Space>
        ) : null}
      </Modal>
    </>
  );
}

/** Lots within the user's jurisdiction (GET /api/trace/lots), by product or text. */
export function LotsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [productCode, setProductCode] = useState<string>();
  const { query, tableProps } = useServerTable<Lot>('trace/lots', { q, productCode });
  const divisions = useDivisionNames((query.data?.items ?? []).flatMap((l) => [l.producer.provinceCode, l.originDivisionCode]));
  const division = (code: string | null) => (code ? localName(i18n.language, divisions.get(code)) || code : '');

  const columns: TableColumnsType<Lot> = [
    {
      key: 'lot', title: t('trace.lot'), width: 220,
      render: (_, l) => (
        <Space size={4}>
          <Link to="/trace/lots/view" search={{ uri: l.uri }} data-testid="lot-link" title={l.uri} style={{ fontFamily: 'monospace' }}>{lotNumberOf(l.uri)}</Link>
          <VerifyLink uri={l.uri} iconOnly />
        </Space>
      ),
    },
    { key: 'product', title: t('trace.product'), render: (_, l) => <span title={l.productCode}>{localName(i18n.language, { nameZh: l.productNameZh, nameEn: l.productNameEn })}</span> },
    { key: 'producer', title: t('trace.producer'), render: (_, l) => `${localName(i18n.language, l.producer)} · ${division(l.producer.provinceCode)}` },
    { key: 'origin', title: t('trace.originLabel'), render: (_, l) => `${t(`trace.origin.${l.originKind}`)}${l.originKind === 'mined' ? ` · ${division(l.originDivisionCode)}` : l.originKind === 'imported' ? ` · ${l.originCountry ?? ''}` : ''}` },
    { key: 'producedKg', dataIndex: 'producedKg', title: t('trace.producedKg'), align: 'right', render: (v: string) => formatKg(v, false) },
    { key: 'producedReoKg', dataIndex: 'producedReoKg', title: t('trace.producedReoKg'), align: 'right', render: (v: string) => formatKg(v, false) },
    { key: 'producedAt', dataIndex: 'producedAt', title: t('trace.producedAt'), render: formatChinaTime },
    { key: 'quota', dataIndex: 'withinQuota', title: t('trace.quota'), render: (v: boolean | null) => <QuotaTag withinQuota={v} /> },
    { key: 'holdings', title: t('trace.holdings'), width: 260, ellipsis: true, render: (_, l) => <HoldingsText holdings={l.holdings} /> },
  ];

  return (
    <>
      <PageHeader title={t('trace.lotsTitle')} extra={canSee(me, 'traceUpload') ? <MintLot /> : undefined} />
      <FilterBar>
        <Input.Search allowClear placeholder={t('trace.lotSearch')} onSearch={(v) => setQ(v.trim())} style={{ width: 280 }} data-testid="lots-search" />
        <ProductCodeSelect placeholder={t('trace.product')} value={productCode} onChange={(v) => setProductCode(v ?? undefined)} style={{ width: 240 }} data-testid="lots-product" />
        <Input.Search
          allowClear placeholder={t('trace.lookupPlaceholder')} enterButton={t('trace.lookup')} style={{ width: 460 }} data-testid="lots-lookup"
          onSearch={(v) => v.trim() && void navigate({ to: '/trace/lots/view', search: { uri: v.trim() } })}
        />
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<Lot> {...tableProps} rowKey="id" columns={columns} data-testid="lots-table" locale={{ emptyText: t('trace.noLots') }} />
      )}
    </>
  );
}

/** One lot (GET /api/trace/lots/lookup?uri=): what it is, who holds it, its movements and its genealogy. */
export function LotPage() {
  const { t, i18n } = useTranslation();
  const { uri } = useSearch({ strict: false }) as { uri?: string };
  const lot = useQuery({ queryKey: ['trace', 'lot', uri], queryFn: () => traceApi.lot(uri!), enabled: !!uri });
  const divisions = useDivisionNames(lot.data ? [lot.data.producer.provinceCode, lot.data.originDivisionCode] : []);
  const division = (code: string | null) => (code ? `${code} ${localName(i18n.language, divisions.get(code))}`.trim() : '');
  if (!uri) return <ErrorState error={new Error(t('trace.noLotGiven'))} />;
  if (lot.isPending) return <Loading />;
  if (lot.isError) return <ErrorState error={lot.error} onRetry={() => void lot.refetch()} />;
  const l = lot.data;
  const productName = localName(i18n.language, { nameZh: l.productNameZh, nameEn: l.productNameEn });

  const movementColumns: TableColumnsType<Movement> = [
    { key: 'eventTime', dataIndex: 'eventTime', title: t('trace.eventTime'), render: formatChinaTime },
    { key: 'kind', dataIndex: 'kind', title: t('trace.movementKind'), render: (k: string, m) => <Space size={2}><Tag style={COMPACT_TAG}>{t(`trace.movementKinds.${k}`, { defaultValue: k })}</Tag>{m.reversal ? <Tag color="purple" style={COMPACT_TAG}>{t('trace.reversal')}</Tag> : null}</Space> },
    { key: 'enterprise', title: t('trace.enterprise'), render: (_, m) => localName(i18n.language, { nameZh: m.enterpriseNameZh, nameEn: m.enterpriseNameEn }) },
    { key: 'counterparty', title: t('trace.counterparty'), render: (_, m) => (m.counterpartyNameZh ? localName(i18n.language, { nameZh: m.counterpartyNameZh, nameEn: m.counterpartyNameEn }) : '') },
    { key: 'kg', dataIndex: 'kg', title: t('trace.kg'), align: 'right', render: (v: string) => formatKg(v, false) },
    { key: 'reoKg', dataIndex: 'reoKg', title: t('trace.reoKg'), align: 'right', render: (v: string) => formatKg(v, false) },
    { key: 'eventId', dataIndex: 'eventId', title: t('trace.eventId'), render: (v: string | null) => (v ? <Typography.Text copyable={{ text: v }} style={{ fontFamily: 'monospace', fontSize: 12 }}>{shortEventId(v)}</Typography.Text> : '') },
  ];

  return (
    <div data-testid="lot-page">
      <PageHeader
        title={<Space><Link to="/trace/lots"><ArrowLeftOutlined /></Link>{productName} · {lotNumberOf(l.uri)}</Space>}
        extra={<Space size={16}><Link to="/trace/events" search={{ epc: l.uri }} data-testid="lot-events-link">{t('trace.lotEvents')}</Link><VerifyLink uri={l.uri} /></Space>}
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} data-testid="lot-summary">
          <Descriptions.Item label={t('trace.lotUri')} span={3}><LotUri uri={l.uri} /></Descriptions.Item>
          <Descriptions.Item label={t('trace.product')}>{l.productCode} {productName}</Descriptions.Item>
          <Descriptions.Item label={t('trace.category')}>{t(`enums.productCategory.${l.category}`, { defaultValue: l.category })}</Descriptions.Item>
          <Descriptions.Item label={t('trace.producer')}><span data-testid="lot-producer">{localName(i18n.language, l.producer)}</span></Descriptions.Item>
          <Descriptions.Item label={t('trace.originLabel')}>
            {t(`trace.origin.${l.originKind}`)}{l.originKind === 'mined' ? ` · ${division(l.originDivisionCode)}` : l.originKind === 'imported' ? ` · ${l.originCountry ?? ''}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('trace.producedKg')}>{formatKg(l.producedKg)}</Descriptions.Item>
          <Descriptions.Item label={t('trace.producedReoKg')}>{formatKg(l.producedReoKg)}</Descriptions.Item>
          <Descriptions.Item label={t('trace.producedAt')}>{formatChinaTime(l.producedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('trace.quota')}><QuotaTag withinQuota={l.withinQuota} /></Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('trace.holdings')} style={{ marginBottom: 12 }}>
        <Table<Holding>
          size="small" rowKey="enterpriseId" pagination={false} dataSource={l.holdings} data-testid="lot-holdings" locale={{ emptyText: t('trace.noHoldings') }}
          columns={[
            { key: 'name', title: t('trace.enterprise'), render: (_, h) => localName(i18n.language, h) },
            { key: 'kg', dataIndex: 'kg', title: t('trace.kg'), align: 'right', render: (v: string) => formatKg(v, false) },
          ]}
        />
      </Card>
      <Card size="small" title={t('trace.movements')} style={{ marginBottom: 12 }}>
        <Table<Movement>
          size="small" rowKey={(m, i) => `${m.eventId}-${m.kind}-${m.enterpriseId}-${i}`} dataSource={l.movements} columns={movementColumns} data-testid="lot-movements"
          pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }} scroll={{ x: 'max-content' }} locale={{ emptyText: t('trace.noMovements') }}
        />
      </Card>
      <Card size="small" title={t('trace.genealogy')}>
        <GenealogyGraph key={l.uri} root={l.uri} />
      </Card>
    </div>
  );
}
