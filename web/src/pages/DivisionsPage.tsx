import { useState } from 'react';
import { Button, Descriptions, Drawer, Form, Input, Select, Space, Table, type TableColumnsType } from 'antd';
import { EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { DIVISION_LEVELS, type Division } from '../api/types';
import { ActiveTag, DeactivateButton, ErrorState, FilterBar, PageHeader } from '../components/common';
import { FormModal } from '../components/FormModal';
import { DivisionText, useDivisionNames } from '../components/divisions';
import { DivisionSelect, useDivision, useEnumOptions } from '../components/selects';
import { localName } from '../lib/format';
import { canWrite } from '../lib/permissions';
import { useMe } from '../lib/session';
import { useServerTable } from '../lib/table';

interface DivisionValues {
  code: string;
  nameZh: string;
  nameEn?: string;
  parentCode?: string;
}

function DivisionName({ code }: { code: string | null }) {
  const { t, i18n } = useTranslation();
  const d = useDivision(code);
  if (!code) return <>{t('common.none')}</>;
  return <>{code} {d.data ? localName(i18n.language, d.data) : ''}</>;
}

function DivisionDrawer({ division, onClose }: { division: Division; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const children = useQuery({
    queryKey: ['divisions', 'list', { parentCode: division.code, pageSize: 500 }],
    queryFn: () => api.list<Division>('divisions', { parentCode: division.code, pageSize: 500, sort: 'code' }),
    enabled: division.level !== 'county',
  });
  return (
    <Drawer open size={520} title={`${t('divisions.detail')} · ${localName(i18n.language, division)}`} onClose={onClose} data-testid="division-drawer">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('divisions.code')}>{division.code}</Descriptions.Item>
        <Descriptions.Item label={t('divisions.nameZh')}>{division.nameZh}</Descriptions.Item>
        <Descriptions.Item label={t('divisions.nameEn')}>{division.nameEn ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('divisions.level')}>{t(`enums.divisionLevel.${division.level}`)}</Descriptions.Item>
        <Descriptions.Item label={t('divisions.parent')}><DivisionName code={division.parentCode} /></Descriptions.Item>
        <Descriptions.Item label={t('divisions.province')}><DivisionName code={division.provinceCode} /></Descriptions.Item>
        <Descriptions.Item label={t('divisions.prefecture')}><DivisionName code={division.prefectureCode} /></Descriptions.Item>
        <Descriptions.Item label={t('common.state')}><ActiveTag active={division.active} /></Descriptions.Item>
      </Descriptions>
      <Space style={{ margin: '12px 0' }}>
        <Link to="/enterprises" search={{ divisionCode: division.code }} onClick={onClose}>{t('divisions.enterprises')}</Link>
      </Space>
      {division.level !== 'county' ? (
        <Table<Division>
          size="small"
          rowKey="code"
          title={() => t('divisions.children')}
          loading={children.isFetching}
          dataSource={children.data?.items ?? []}
          pagination={{ pageSize: 20, size: 'small', showTotal: (total) => t('common.total', { total }) }}
          columns={[
            { key: 'code', dataIndex: 'code', title: t('divisions.code') },
            { key: 'name', title: t('common.name'), render: (_, d) => localName(i18n.language, d) },
            { key: 'level', dataIndex: 'level', title: t('divisions.level'), render: (v: string) => t(`enums.divisionLevel.${v}`) },
          ]}
        />
      ) : null}
    </Drawer>
  );
}

export function DivisionsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<string>();
  const [parentCode, setParentCode] = useState<string>();
  const [active, setActive] = useState('true');
  const [viewing, setViewing] = useState<Division | null>(null);
  const [editing, setEditing] = useState<Division | 'new' | null>(null);
  const levelOptions = useEnumOptions('divisionLevel', DIVISION_LEVELS);
  const { query, tableProps, sortOrder } = useServerTable<Division>('divisions', { q, level, parentCode, active }, { defaultSort: 'code' });
  const parents = useDivisionNames((query.data?.items ?? []).map((d) => d.parentCode));

  const columns: TableColumnsType<Division> = [
    { key: 'code', dataIndex: 'code', title: t('divisions.code'), sorter: true, sortOrder: sortOrder('code'), width: 100 },
    { key: 'nameZh', dataIndex: 'nameZh', title: t('divisions.nameZh'), sorter: true, sortOrder: sortOrder('nameZh') },
    { key: 'nameEn', dataIndex: 'nameEn', title: t('divisions.nameEn'), render: (v: string | null) => v ?? t('common.none') },
    { key: 'level', dataIndex: 'level', title: t('divisions.level'), sorter: true, sortOrder: sortOrder('level'), render: (v: string) => t(`enums.divisionLevel.${v}`) },
    { key: 'parentCode', dataIndex: 'parentCode', title: t('divisions.parent'), render: (v: string | null) => <DivisionText code={v} names={parents} /> },
    { key: 'active', dataIndex: 'active', title: t('common.state'), render: (v: boolean) => <ActiveTag active={v} /> },
    {
      key: 'actions', title: t('common.actions'), render: (_, d) => (
        <Space size={4}>
          <Button size="small" icon={<EyeOutlined />} onClick={() => setViewing(d)}>{t('common.detail')}</Button>
          {canWrite(me) ? <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(d)}>{t('common.edit')}</Button> : null}
          {canWrite(me) && d.active ? <DeactivateButton resource="divisions" id={d.code} /> : null}
        </Space>
      ),
    },
  ];

  const save = async (v: DivisionValues) => {
    const blank = (s?: string) => (s?.trim() ? s.trim() : null);
    if (editing === 'new') await api.post('/divisions', { code: v.code.trim(), nameZh: v.nameZh, nameEn: blank(v.nameEn), parentCode: v.parentCode ?? null });
    else if (editing) await api.patch(`/divisions/${editing.code}`, { nameZh: v.nameZh, nameEn: blank(v.nameEn) });
    await qc.invalidateQueries({ queryKey: ['divisions'] });
  };

  return (
    <>
      <PageHeader
        title={t('divisions.title')}
        extra={canWrite(me) ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="division-new">{t('divisions.new')}</Button> : null}
      />
      <FilterBar>
        <Input.Search allowClear placeholder={t('divisions.searchPlaceholder')} onSearch={setQ} style={{ width: 220 }} data-testid="division-search" />
        <Select allowClear placeholder={t('divisions.level')} options={levelOptions} value={level} onChange={setLevel} style={{ width: 120 }} />
        <DivisionSelect placeholder={t('divisions.parent')} value={parentCode} onChange={setParentCode} style={{ width: 220 }} />
        <Select value={active} onChange={setActive} style={{ width: 120 }} options={[
          { value: 'true', label: t('common.onlyActive') }, { value: 'false', label: t('common.onlyInactive') }, { value: '', label: t('common.all') },
        ]} />
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<Division> {...tableProps} rowKey="code" columns={columns} onRow={(d) => ({ onDoubleClick: () => setViewing(d) })} />
      )}
      {viewing ? <DivisionDrawer division={viewing} onClose={() => setViewing(null)} /> : null}
      {editing ? (
        <FormModal<DivisionValues>
          title={editing === 'new' ? t('divisions.new') : `${t('divisions.edit')} · ${localName(i18n.language, editing)}`}
          initialValues={editing === 'new' ? {} : { code: editing.code, nameZh: editing.nameZh, nameEn: editing.nameEn ?? undefined, parentCode: editing.parentCode ?? undefined }}
          fields={['code', 'nameZh', 'nameEn', 'parentCode']}
          onSubmit={save}
          onClose={() => setEditing(null)}
          testId="division-modal"
        >
          <Form.Item name="code" label={t('divisions.code')} rules={[{ required: true, message: t('problems.rules.required') }]}>
            <Input maxLength={6} disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item name="nameZh" label={t('divisions.nameZh')} rules={[{ required: true, message: t('problems.rules.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="nameEn" label={t('divisions.nameEn')}>
            <Input />
          </Form.Item>
          <Form.Item name="parentCode" label={t('divisions.parent')}>
            <DivisionSelect disabled={editing !== 'new'} />
          </Form.Item>
        </FormModal>
      ) : null}
    </>
  );
}
