import { useState } from 'react';
import { Button, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ACTIVITIES, type Enterprise } from '../api/types';
import { ActiveTag, ErrorState, FilterBar, PageHeader } from '../components/common';
import { DivisionSelect, GroupSelect, useEnumOptions, useGroupNames } from '../components/selects';
import { localName, trimDecimal } from '../lib/format';
import { canWriteEnterprises } from '../lib/permissions';
import { useMe } from '../lib/session';
import { useServerTable } from '../lib/table';

export function EnterprisesPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [activity, setActivity] = useState<string>();
  const [groupId, setGroupId] = useState<string>();
  const search = useSearch({ strict: false }) as { divisionCode?: string };
  const [divisionCode, setDivisionCode] = useState<string | undefined>(search.divisionCode);
  const [active, setActive] = useState<string>('true');
  const groups = useGroupNames();
  const activityOptions = useEnumOptions('activity', ACTIVITIES);

  const { query, tableProps, sortOrder } = useServerTable<Enterprise>(
    'enterprises',
    { q, activity, groupId, divisionCode, active },
    { defaultSort: 'nameZh' },
  );

  const columns: TableColumnsType<Enterprise> = [
    {
      key: 'creditCode', dataIndex: 'creditCode', title: t('enterprises.creditCode'), sorter: true, sortOrder: sortOrder('creditCode'),
      render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span>,
    },
    {
      key: 'nameZh', dataIndex: 'nameZh', title: t('enterprises.name'), sorter: true, sortOrder: sortOrder('nameZh'), width: 340, ellipsis: true,
      render: (_: string, e) => <Link to="/enterprises/$id" params={{ id: e.id }} data-testid="enterprise-link">{localName(i18n.language, e)}</Link>,
    },
    {
      key: 'domicileDivisionCode', dataIndex: 'domicileDivisionCode', title: t('enterprises.domicile'), sorter: true, sortOrder: sortOrder('domicileDivisionCode'),
      render: (v: string) => <span data-testid="enterprise-division">{v}</span>,
    },
    {
      key: 'groupId', dataIndex: 'groupId', title: t('enterprises.group'), width: 220, ellipsis: true,
      render: (v: string | null) => (v ? localName(i18n.language, groups.get(v)) || v : t('common.none')),
    },
    {
      key: 'activities', dataIndex: 'activities', title: t('enterprises.activities'),
      render: (v: string[]) => <Space size={[0, 4]} wrap>{v.map((a) => <Tag key={a}>{t(`enums.activity.${a}`)}</Tag>)}</Space>,
    },
    { key: 'capacity', dataIndex: 'capacityTonnesReo', title: t('enterprises.capacity'), align: 'right', sorter: true, sortOrder: sortOrder('capacity'), render: (v: string | null) => trimDecimal(v) },
    { key: 'active', dataIndex: 'active', title: t('common.state'), render: (v: boolean) => <ActiveTag active={v} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('enterprises.title')}
        extra={canWriteEnterprises(me) ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate({ to: '/enterprises/new' })} data-testid="enterprise-new">
            {t('enterprises.new')}
          </Button>
        ) : null}
      />
      <FilterBar>
        <Input.Search allowClear placeholder={t('enterprises.searchPlaceholder')} onSearch={setQ} style={{ width: 240 }} data-testid="enterprise-search" />
        <Select allowClear placeholder={t('enterprises.activityFilter')} options={activityOptions} value={activity} onChange={setActivity} style={{ width: 180 }} data-testid="filter-activity" />
        <GroupSelect placeholder={t('enterprises.groupFilter')} value={groupId} onChange={setGroupId} style={{ width: 200 }} />
        <DivisionSelect placeholder={t('enterprises.divisionFilter')} value={divisionCode} onChange={setDivisionCode} style={{ width: 220 }} />
        <Select
          value={active}
          onChange={setActive}
          style={{ width: 120 }}
          options={[
            { value: 'true', label: t('common.onlyActive') },
            { value: 'false', label: t('common.onlyInactive') },
            { value: '', label: t('common.all') },
          ]}
        />
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<Enterprise> {...tableProps} rowKey="id" columns={columns} data-testid="enterprise-table" />
      )}
    </>
  );
}
