import { useState } from 'react';
import { Button, Form, Input, Select, Space, Table, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { DEPARTMENT_KINDS, DEPARTMENT_LEVELS, type Department, type DepartmentKind, type DepartmentLevel } from '../api/types';
import { ActiveTag, DeactivateButton, ErrorState, FilterBar, PageHeader } from '../components/common';
import { FormModal } from '../components/FormModal';
import { DivisionText, useDivisionNames } from '../components/divisions';
import { DivisionSelect, useEnumOptions } from '../components/selects';
import { localName } from '../lib/format';
import { canWrite } from '../lib/permissions';
import { useMe } from '../lib/session';
import { useServerTable } from '../lib/table';

interface DepartmentValues {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: DepartmentKind;
  level: DepartmentLevel;
  divisionCode?: string;
}

export function DepartmentsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [level, setLevel] = useState<string>();
  const [kind, setKind] = useState<string>();
  const [divisionCode, setDivisionCode] = useState<string>();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const levelOptions = useEnumOptions('departmentLevel', DEPARTMENT_LEVELS);
  const kindOptions = useEnumOptions('departmentKind', DEPARTMENT_KINDS);
  const { query, tableProps, sortOrder } = useServerTable<Department>('departments', { q, level, kind, divisionCode }, { defaultSort: 'code' });
  const divisions = useDivisionNames((query.data?.items ?? []).map((d) => d.divisionCode));

  const columns: TableColumnsType<Department> = [
    { key: 'code', dataIndex: 'code', title: t('departments.code'), sorter: true, sortOrder: sortOrder('code') },
    { key: 'nameZh', dataIndex: 'nameZh', title: t('common.name'), sorter: true, sortOrder: sortOrder('nameZh'), render: (_, d) => localName(i18n.language, d) },
    { key: 'kind', dataIndex: 'kind', title: t('departments.kind'), render: (v: string) => t(`enums.departmentKind.${v}`) },
    { key: 'level', dataIndex: 'level', title: t('departments.level'), sorter: true, sortOrder: sortOrder('level'), render: (v: string) => t(`enums.departmentLevel.${v}`) },
    { key: 'divisionCode', dataIndex: 'divisionCode', title: t('departments.division'), render: (v: string | null) => <DivisionText code={v} names={divisions} /> },
    { key: 'active', dataIndex: 'active', title: t('common.state'), render: (v: boolean) => <ActiveTag active={v} /> },
  ];
  if (canWrite(me)) {
    columns.push({
      key: 'actions', title: t('common.actions'), render: (_, d) => (
        <Space size={4}>
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(d)}>{t('common.edit')}</Button>
          {d.active ? <DeactivateButton resource="departments" id={d.id} /> : null}
        </Space>
      ),
    });
  }

  const save = async (v: DepartmentValues) => {
    if (editing === 'new') await api.post('/departments', { ...v, code: v.code.trim(), divisionCode: v.level === 'national' ? null : (v.divisionCode ?? null) });
    else if (editing) await api.patch(`/departments/${editing.id}`, { nameZh: v.nameZh, nameEn: v.nameEn });
    await qc.invalidateQueries({ queryKey: ['departments'] });
  };

  return (
    <>
      <PageHeader
        title={t('departments.title')}
        extra={canWrite(me) ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="department-new">{t('departments.new')}</Button> : null}
      />
      <FilterBar>
        <Input.Search allowClear placeholder={t('departments.searchPlaceholder')} onSearch={setQ} style={{ width: 220 }} />
        <Select allowClear placeholder={t('departments.level')} options={levelOptions} value={level} onChange={setLevel} style={{ width: 120 }} />
        <Select allowClear placeholder={t('departments.kind')} options={kindOptions} value={kind} onChange={setKind} style={{ width: 160 }} />
        <DivisionSelect placeholder={t('departments.division')} value={divisionCode} onChange={setDivisionCode} style={{ width: 220 }} />
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<Department> {...tableProps} rowKey="id" columns={columns} />
      )}
      {editing ? (
        <FormModal<DepartmentValues>
          title={editing === 'new' ? t('departments.new') : t('departments.edit')}
          initialValues={editing === 'new' ? {} : { ...editing, divisionCode: editing.divisionCode ?? undefined }}
          fields={['code', 'nameZh', 'nameEn', 'kind', 'level', 'divisionCode']}
          onSubmit={save}
          onClose={() => setEditing(null)}
          testId="department-modal"
        >
          {(form) => (
            <>
              <Form.Item name="code" label={t('departments.code')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Input disabled={editing !== 'new'} />
              </Form.Item>
              <Form.Item name="nameZh" label={t('common.nameZh')} rules={[{ required: true, message: t('problems.rules.required') }]}><Input /></Form.Item>
              <Form.Item name="nameEn" label={t('common.nameEn')} rules={[{ required: true, message: t('problems.rules.required') }]}><Input /></Form.Item>
              <Form.Item name="kind" label={t('departments.kind')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Select options={kindOptions} disabled={editing !== 'new'} />
              </Form.Item>
              <Form.Item name="level" label={t('departments.level')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Select options={levelOptions} disabled={editing !== 'new'} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() => form.getFieldValue('level') && form.getFieldValue('level') !== 'national' ? (
                  <Form.Item name="divisionCode" label={t('departments.division')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                    <DivisionSelect disabled={editing !== 'new'} />
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
