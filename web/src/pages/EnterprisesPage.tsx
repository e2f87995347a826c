import { useState } from 'react';
import { Button, Input, Select, Table, Tooltip, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ACTIVITIES, type Enterprise } from '../api/types';
import { ActiveTag, CompactTags, ErrorState, FilterBar, PageHeader } from '../components/common';
import { DivisionText, useDivisionNames } from '../components/divisions';
import { DivisionSelect, GroupSelect, useEnumOptions, useGroupNames } from '../components/selects';
import { formatTonnes, localName } from '../lib/format';
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

  // Chinese names sort by pinyin on the server; English readers see an apparently random order, so they get the credit code.
  const { query, tableProps, sortOrder } = useServerTable<Enterprise>(
    'enterprises',
    { q, activity, groupId, divisionCode, active },
    { defaultSort: i18n.language.startsWith('en') ? 'creditCode' : 'nameZh' },
  );
  const divisions = useDivisionNames((query.data?.items ?? []).map((e) => e.domicileDivisionCode));

  const columns: TableColumnsType<Enterprise> = [
    {
      key: 'creditCode', dataIndex: 'creditCode', title: t('enterprises.creditCode'), sorter: true, sortOrder: sortOrder('creditCode'), width: 170,
      render: (v: string) => <span style={{ fontFamily: 'monospace', fontSize: 13, whiteSpace: 'nowrap' }}>{v}</span>,
    },
    {
      key: 'nameZh', dataIndex: 'nameZh', title: t('enterprises.name'), sorter: true, sortOrder: sortOrder('nameZh'), ellipsis: { showTitle: false },
      render: (_: string, e) => {
        const name = localName(i18n.language, e);
        return (
          <Tooltip title={name} placement="topLeft">
            <Link to="/enterprises/$id" params={{ id: e.id }} data-testid="enterprise-link">{name}</Link>
          </Tooltip>
        );
      },
    },
    {
      key: 'domicileDivisionCode', dataIndex: 'domicileDivisionCode', title: t('enterprises.domicile'), sorter: true, sortOrder: sortOrder('domicileDivisionCode'), width: 180,
      render: (v: string) => <DivisionText code={v} names={divisions} testId="enterprise-division" />,
    },
    {
      key: 'groupId', dataIndex: 'groupId', title: t('enterprises.group'), width: 180, ellipsis: { showTitle: false },
      render: (v: string | null) => {
        const name = v ? localName(i18n.language, groups.get(v)) || v : t('common.none');
        return <Tooltip title={v ? name : undefined} placement="topLeft"><span>{name}</span></Tooltip>;
      },
    },
    {
      key: 'activities', dataIndex: 'activities', title: t('enterprises.activities'), width: 200,
      render: (v: string[]) => <CompactTags items={v.map((a) => ({ key: a, label: t(`enums.activity.${a}`) }))} />,
    },
    { key: 'capacity', dataIndex: 'capacityTonnesReo', title: t('enterprises.capacity'), align: 'right', width: 110, sorter: true, sortOrder: sortOrder('capacity'), render: (v: string | null) => formatTonnes(v) },
    { key: 'active', dataIndex: 'active', title: t('common.state'), width: 80, render: (v: boolean) => <ActiveTag active={v} /> },
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
        <Table<Enterprise> {...tableProps} scroll={{ x: 1100 }} rowKey="id" columns={columns} data-testid="enterprise-table" />
      )}
    </>
  );
}
