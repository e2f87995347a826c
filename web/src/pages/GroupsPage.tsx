import { useState } from 'react';
import { Button, Form, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { GROUP_STATUSES, type Group, type GroupStatus } from '../api/types';
import { ActiveTag, DeactivateButton, ErrorState, FilterBar, PageHeader } from '../components/common';
import { FormModal } from '../components/FormModal';
import { GroupSelect, useEnumOptions, useGroupNames } from '../components/selects';
import { localName } from '../lib/format';
import { canWrite } from '../lib/permissions';
import { useMe } from '../lib/session';
import { useServerTable } from '../lib/table';

interface GroupValues {
  code: string;
  nameZh: string;
  nameEn: string;
  status: GroupStatus;
  mergedIntoId?: string;
}

export function GroupsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Group | 'new' | null>(null);
  const statusOptions = useEnumOptions('groupStatus', GROUP_STATUSES);
  const names = useGroupNames();
  const { query, tableProps, sortOrder } = useServerTable<Group>('groups', { q }, { defaultSort: 'code' });

  const columns: TableColumnsType<Group> = [
    { key: 'code', dataIndex: 'code', title: t('groups.code'), sorter: true, sortOrder: sortOrder('code') },
    { key: 'nameZh', dataIndex: 'nameZh', title: t('common.nameZh'), sorter: true, sortOrder: sortOrder('nameZh') },
    { key: 'nameEn', dataIndex: 'nameEn', title: t('common.nameEn') },
    {
      key: 'status', dataIndex: 'status', title: t('groups.status'), sorter: true, sortOrder: sortOrder('status'),
      render: (v: GroupStatus) => <Tag color={v === 'active' ? 'blue' : 'default'}>{t(`enums.groupStatus.${v}`)}</Tag>,
    },
    { key: 'mergedIntoId', dataIndex: 'mergedIntoId', title: t('groups.mergedInto'), render: (v: string | null) => (v ? localName(i18n.language, names.get(v)) || v : t('common.none')) },
    { key: 'active', dataIndex: 'active', title: t('common.state'), render: (v: boolean) => <ActiveTag active={v} /> },
  ];
  if (canWrite(me)) {
    columns.push({
      key: 'actions', title: t('common.actions'), render: (_, g) => (
        <Space size={4}>
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(g)}>{t('common.edit')}</Button>
          {g.active ? <DeactivateButton resource="groups" id={g.id} /> : null}
        </Space>
      ),
    });
  }

  const save = async (v: GroupValues) => {
    const mergedIntoId = v.status === 'merged' ? (v.mergedIntoId ?? null) : null;
    if (editing === 'new') await api.post('/groups', { code: v.code.trim(), nameZh: v.nameZh, nameEn: v.nameEn, status: v.status, mergedIntoId });
    else if (editing) await api.patch(`/groups/${editing.id}`, { nameZh: v.nameZh, nameEn: v.nameEn, status: v.status, mergedIntoId });
    await qc.invalidateQueries({ queryKey: ['groups'] });
  };

  return (
    <>
      <PageHeader
        title={t('groups.title')}
        extra={canWrite(me) ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="group-new">{t('groups.new')}</Button> : null}
      />
      <FilterBar>
        <Input.Search allowClear placeholder={t('groups.searchPlaceholder')} onSearch={setQ} style={{ width: 220 }} />
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<Group> {...tableProps} rowKey="id" columns={columns} />
      )}
      {editing ? (
        <FormModal<GroupValues>
          title={editing === 'new' ? t('groups.new') : t('groups.edit')}
          initialValues={editing === 'new' ? { status: 'active' } : { ...editing, mergedIntoId: editing.mergedIntoId ?? undefined }}
          fields={['code', 'nameZh', 'nameEn', 'status', 'mergedIntoId']}
          onSubmit={save}
          onClose={() => setEditing(null)}
          testId="group-modal"
        >
          {(form) => (
            <>
              <Form.Item name="code" label={t('groups.code')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Input disabled={editing !== 'new'} />
              </Form.Item>
              <Form.Item name="nameZh" label={t('common.nameZh')} rules={[{ required: true, message: t('problems.rules.required') }]}><Input /></Form.Item>
              <Form.Item name="nameEn" label={t('common.nameEn')} rules={[{ required: true, message: t('problems.rules.required') }]}><Input /></Form.Item>
              <Form.Item name="status" label={t('groups.status')}><Select options={statusOptions} /></Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() => form.getFieldValue('status') === 'merged' ? (
                  <Form.Item name="mergedIntoId" label={t('groups.mergedInto')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                    <GroupSelect />
                  </Form.Item>
                ) : null}
              </Form.Item>
            </>
          )}
        </FormModal>
      ) : null}
    </>
  );
}
