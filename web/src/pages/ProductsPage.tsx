import { useState } from 'react';
import { Button, Col, Descriptions, Flex, Form, Input, Row, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ELEMENTS, PRODUCT_CATEGORIES, type ExportControlEntry, type ExportControlStatus, type Product, type ProductCategory } from '../api/types';
import { ActiveTag, COMPACT_TAG, CompactTags, DeactivateButton, ErrorState, FilterBar, PageHeader } from '../components/common';
import { FormModal } from '../components/FormModal';
import { useEnumOptions } from '../components/selects';
import { formatDate, fractionToPercent, fractionToPercentInput, localName, percentToFraction, shiftDecimal } from '../lib/format';
import { canWrite } from '../lib/permissions';
import { useMe } from '../lib/session';
import { useServerTable } from '../lib/table';

const CONTROL_COLOURS: Record<ExportControlStatus, string> = { controlled: 'red', suspended: 'orange', not_yet_effective: 'blue' };

interface ProductValues {
  code: string;
  nameZh: string;
  nameEn: string;
  category: ProductCategory;
  hsCode?: string;
  reoPercent: string;
  elementSplit: { element?: string; percent?: string }[];
}

function controlTooltip(t: (k: string) => string, e: ExportControlEntry): string {
  return [
    `${e.element} ${t(`enums.element.${e.element}`)}: ${t(`enums.exportControlStatus.${e.status}`)}`,
    `${t('products.announcement')}: ${e.announcement}`,
    e.effectiveFrom ? `${t('products.effectiveFrom')}: ${formatDate(e.effectiveFrom)}` : '',
    e.suspendedFrom ? `${t('products.suspended')}: ${formatDate(e.suspendedFrom)} ~ ${formatDate(e.suspendedTo)}` : '',
  ].filter(Boolean).join(' · ');
}

/** Export control per element: full tags in the detail, element symbols coloured by status in the table. */
function ExportControlTags({ entries, compact = false }: { entries: ExportControlEntry[]; compact?: boolean }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <Tag color="green" style={compact ? COMPACT_TAG : undefined}>{t('products.notControlled')}</Tag>;
  if (compact) {
    return (
      <CompactTags
        max={6}
        items={entries.map((e) => ({
          key: `${e.element}-${e.announcement}`, label: e.element, color: CONTROL_COLOURS[e.status], tooltip: controlTooltip(t, e), testId: `export-control-${e.element}`,
        }))}
      />
    );
  }
  return (
    <Space size={[0, 4]} wrap>
      {entries.map((e) => (
        <Tooltip key={`${e.element}-${e.announcement}`} title={controlTooltip(t, e)}>
          <Tag color={CONTROL_COLOURS[e.status]} data-testid={`export-control-${e.element}`}>
            {e.element} {t(`enums.exportControlStatus.${e.status}`)}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

function ElementSplit({ split, max = 3 }: { split: Record<string, string> | null; max?: number }) {
  const { t } = useTranslation();
  if (!split) return <>{t('common.none')}</>;
  const entries = Object.entries(split).sort((a, b) => Number(b[1]) - Number(a[1]));
  return (
    <CompactTags
      max={max}
      items={entries.map(([el, share]) => ({
        key: el, label: `${el} ${fractionToPercent(share, 1)}`, tooltip: `${t(`enums.element.${el}`, { defaultValue: el })} ${fractionToPercent(share, 2)}`,
      }))}
    />
  );
}

function sumPercent(rows: { percent?: string }[]): string {
  // Sum in millionths of a percent to stay exact for the inputs people type.
  let micro = 0;
  for (const r of rows) {
    const n = Number(shiftDecimal(r.percent ?? '0', 6));
    if (Number.isFinite(n)) micro += Math.round(n);
  }
  return shiftDecimal(String(micro), -6);
}

export function ProductsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [category, setCategory] = useState<string>();
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const categoryOptions = useEnumOptions('productCategory', PRODUCT_CATEGORIES);
  const elementOptions = ELEMENTS.map((e) => ({ value: e, label: `${e} · ${t(`enums.element.${e}`)}` }));
  const { query, tableProps, sortOrder } = useServerTable<Product>('products', { q, category }, { defaultSort: 'code' });

  const columns: TableColumnsType<Product> = [
    {
      key: 'code', dataIndex: 'code', title: t('products.codeAndHs'), sorter: true, sortOrder: sortOrder('code'), width: 185, ellipsis: { showTitle: false },
      render: (v: string, p) => (
        <div style={{ lineHeight: 1.3 }}>
          <Tooltip title={v} placement="topLeft"><div style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontSize: 13 }}>{v}</div></Tooltip>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{p.hsCode ? `HS ${p.hsCode}` : t('common.none')}</Typography.Text>
        </div>
      ),
    },
    {
      key: 'nameZh', dataIndex: 'nameZh', title: t('products.name'), sorter: true, sortOrder: sortOrder('nameZh'), ellipsis: { showTitle: false },
      render: (_, p) => {
        const name = localName(i18n.language, p);
        return <Tooltip title={name} placement="topLeft"><span>{name}</span></Tooltip>;
      },
    },
    {
      key: 'category', dataIndex: 'category', title: t('products.category'), sorter: true, sortOrder: sortOrder('category'), width: 160, ellipsis: { showTitle: false },
      render: (v: string) => <Tooltip title={t(`enums.productCategory.${v}`)} placement="topLeft"><span>{t(`enums.productCategory.${v}`)}</span></Tooltip>,
    },
    { key: 'reoContent', dataIndex: 'reoContent', title: t('products.reoContent'), align: 'right', width: 90, sorter: true, sortOrder: sortOrder('reoContent'), render: (v: string) => fractionToPercent(v) },
    { key: 'elementSplit', dataIndex: 'elementSplit', title: t('products.elementSplit'), width: 210, render: (v: Product['elementSplit']) => <ElementSplit split={v} /> },
    { key: 'exportControl', dataIndex: 'exportControl', title: t('products.exportControl'), width: 150, render: (v: ExportControlEntry[]) => <ExportControlTags entries={v} compact /> },
    { key: 'active', dataIndex: 'active', title: t('common.state'), width: 80, render: (v: boolean) => <ActiveTag active={v} /> },
  ];
  if (canWrite(me)) {
    columns.push({
      key: 'actions', title: t('common.actions'), width: 90, render: (_, p) => (
        <Space size={4}>
          <Tooltip title={t('common.edit')}>
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} aria-label={t('common.edit')} data-testid="product-edit" />
          </Tooltip>
          {p.active ? <DeactivateButton resource="products" id={p.id} iconOnly /> : null}
        </Space>
      ),
    });
  }

  const save = async (v: ProductValues) => {
    const rows = (v.elementSplit ?? []).filter((r) => r.element);
    const elementSplit = rows.length ? Object.fromEntries(rows.map((r) => [r.element as string, percentToFraction(r.percent ?? '0')])) : null;
    const body = {
      nameZh: v.nameZh,
      nameEn: v.nameEn,
      category: v.category,
      hsCode: v.hsCode?.trim() ? v.hsCode.trim() : null,
      reoContent: percentToFraction(v.reoPercent ?? ''),
      elementSplit,
    };
    if (editing === 'new') await api.post('/products', { code: v.code.trim(), ...body });
    else if (editing) await api.patch(`/products/${editing.id}`, body);
    await qc.invalidateQueries({ queryKey: ['products'] });
  };

  const initial = (p: Product): Partial<ProductValues> => ({
    code: p.code,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    category: p.category,
    hsCode: p.hsCode ?? undefined,
    reoPercent: fractionToPercentInput(p.reoContent),
    elementSplit: Object.entries(p.elementSplit ?? {}).map(([element, share]) => ({ element, percent: fractionToPercentInput(share) })),
  });

  return (
    <>
      <PageHeader
        title={t('products.title')}
        extra={canWrite(me) ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="product-new">{t('products.new')}</Button> : null}
      />
      <FilterBar>
        <Input.Search allowClear placeholder={t('products.searchPlaceholder')} onSearch={setQ} style={{ width: 220 }} />
        <Select allowClear placeholder={t('products.category')} options={categoryOptions} value={category} onChange={setCategory} style={{ width: 240 }} data-testid="filter-category" />
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<Product>
          {...tableProps}
          rowKey="id"
          columns={columns}
          scroll={{ x: 1110 }}
          expandable={{
            expandedRowRender: (p) => (
              <Descriptions size="small" column={1} bordered>
                <Descriptions.Item label={t('products.nameZh')}>{p.nameZh}</Descriptions.Item>
                <Descriptions.Item label={t('products.nameEn')}>{p.nameEn}</Descriptions.Item>
                <Descriptions.Item label={t('products.category')}>{t(`enums.productCategory.${p.category}`)}</Descriptions.Item>
                <Descriptions.Item label={t('products.hsCode')}>{p.hsCode ?? t('common.none')}</Descriptions.Item>
                <Descriptions.Item label={t('products.elementSplit')}>
                  {p.elementSplit ? (
                    <Space wrap>
                      {Object.entries(p.elementSplit).map(([el, share]) => (
                        <span key={el}>{el} {t(`enums.element.${el}`, { defaultValue: el })} {fractionToPercent(share, 2)}</span>
                      ))}
                    </Space>
                  ) : t('common.none')}
                </Descriptions.Item>
                <Descriptions.Item label={t('products.exportControl')}><ExportControlTags entries={p.exportControl} /></Descriptions.Item>
              </Descriptions>
            ),
          }}
        />
      )}
      {editing ? (
        <FormModal<ProductValues>
          width={760}
          title={editing === 'new' ? t('products.new') : t('products.edit')}
          initialValues={editing === 'new' ? { elementSplit: [] } : initial(editing)}
          fields={['code', 'nameZh', 'nameEn', 'category', 'hsCode', 'reoPercent', 'elementSplit']}
          mapField={(path) => {
            if (path[0] === 'reoContent') return ['reoPercent'];
            if (path[0] === 'elementSplit') return ['elementSplit'];
            return path;
          }}
          onSubmit={save}
          onClose={() => setEditing(null)}
          testId="product-modal"
        >
          {(form) => (
            <>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="code" label={t('products.code')} rules={[{ required: true, message: t('problems.rules.required') }]}><Input disabled={editing !== 'new'} /></Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="category" label={t('products.category')} rules={[{ required: true, message: t('problems.rules.required') }]}><Select options={categoryOptions} /></Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="nameZh" label={t('products.nameZh')} rules={[{ required: true, message: t('problems.rules.required') }]}><Input /></Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="nameEn" label={t('products.nameEn')} rules={[{ required: true, message: t('problems.rules.required') }]}><Input /></Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="hsCode" label={t('products.hsCode')}><Input maxLength={10} /></Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="reoPercent" label={t('products.reoContentPercent')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                    <Input inputMode="decimal" suffix="%" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.List name="elementSplit">
                {(fields, { add, remove }, { errors }) => (
                  <>
                    <Typography.Text strong>{t('products.elementSplit')}</Typography.Text>
                    {fields.map((field) => (
                      <Flex key={field.key} gap={8} align="baseline" style={{ marginTop: 8 }}>
                        <Form.Item name={[field.name, 'element']} style={{ width: 200, marginBottom: 0 }} rules={[{ required: true, message: t('problems.rules.required') }]}>
                          <Select options={elementOptions} placeholder={t('products.element')} showSearch={{ optionFilterProp: 'label' }} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'percent']} style={{ width: 180, marginBottom: 0 }} rules={[{ required: true, message: t('problems.rules.required') }]}>
                          <Input inputMode="decimal" suffix="%" placeholder={t('products.share')} />
                        </Form.Item>
                        <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                      </Flex>
                    ))}
                    <Form.ErrorList errors={errors} />
                    <Flex gap={12} align="center" style={{ marginTop: 8 }}>
                      <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({})}>{t('products.addElement')}</Button>
                      <Form.Item noStyle shouldUpdate>
                        {() => fields.length ? <Typography.Text type="secondary">{t('products.splitSum', { sum: sumPercent(form.getFieldValue('elementSplit') ?? []) })}</Typography.Text> : null}
                      </Form.Item>
                    </Flex>
                  </>
                )}
              </Form.List>
            </>
          )}
        </FormModal>
      ) : null}
    </>
  );
}
