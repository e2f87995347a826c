import { useState } from 'react';
import { Alert, Button, Form, Input, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ROLES, type Role, type User } from '../api/types';
import { ActiveTag, DeactivateButton, ErrorState, FilterBar, PageHeader } from '../components/common';
import { FormModal } from '../components/FormModal';
import { DepartmentName, DepartmentSelect, EnterpriseName, EnterpriseSelect, useEnumOptions } from '../components/selects';
import { formatDateTime } from '../lib/format';
import { canWrite, isEnterpriseRole } from '../lib/permissions';
import { useMe } from '../lib/session';
import { useServerTable } from '../lib/table';

interface UserValues {
  username: string;
  displayName: string;
  role: Role;
  departmentId?: string;
  enterpriseId?: string;
  password?: string;
}

export function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string>();
  const [departmentId, setDepartmentId] = useState<string>();
  const [enterpriseId, setEnterpriseId] = useState<string>();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const roleOptions = useEnumOptions('role', ROLES);
  const enterpriseUser = isEnterpriseRole(me.role);
  const { query, tableProps, sortOrder } = useServerTable<User>(
    'users',
    { q, role, departmentId, enterpriseId: enterpriseUser ? (me.enterprise?.id ?? undefined) : enterpriseId },
    { defaultSort: 'username' },
  );

  const columns: TableColumnsType<User> = [
    { key: 'username', dataIndex: 'username', title: t('users.username'), sorter: true, sortOrder: sortOrder('username') },
    { key: 'displayName', dataIndex: 'displayName', title: t('users.displayName'), sorter: true, sortOrder: sortOrder('displayName') },
    { key: 'role', dataIndex: 'role', title: t('users.role'), sorter: true, sortOrder: sortOrder('role'), render: (v: string) => <Tag>{t(`enums.role.${v}`)}</Tag> },
    {
      key: 'organisation', title: t('users.organisation'),
      render: (_, u) => u.enterpriseId ? (
        <Link to="/enterprises/$id" params={{ id: u.enterpriseId }}><EnterpriseName id={u.enterpriseId} /></Link>
      ) : u.departmentId ? <DepartmentName id={u.departmentId} /> : t('common.none'),
    },
    { key: 'createdAt', dataIndex: 'createdAt', title: t('common.createdAt'), sorter: true, sortOrder: sortOrder('createdAt'), render: formatDateTime },
    { key: 'active', dataIndex: 'active', title: t('common.state'), render: (v: boolean) => <ActiveTag active={v} /> },
  ];
  if (canWrite(me)) {
    columns.push({
      key: 'actions', title: t('common.actions'), render: (_, u) => (
        <Space size={4}>
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>{t('common.edit')}</Button>
          {u.active && u.id !== me.id ? <DeactivateButton resource="users" id={u.id} /> : null}
        </Space>
      ),
    });
  }

  const save = async (v: UserValues) => {
    if (editing === 'new') {
      const enterprise = isEnterpriseRole(v.role);
      await api.post('/users', {
        username: v.username.trim(),
        displayName: v.displayName,
        role: v.role,
        password: v.password,
        departmentId: enterprise ? null : (v.departmentId ?? null),
        enterpriseId: enterprise ? (v.enterpriseId ?? null) : null,
      });
    } else if (editing) {
      await api.patch(`/users/${editing.id}`, { displayName: v.displayName, role: v.role, ...(v.password ? { password: v.password } : {}) });
    }
    await qc.invalidateQueries({ queryKey: ['users'] });
  };

  return (
    <>
      <PageHeader
        title={t('users.title')}
        extra={canWrite(me) ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-new">{t('users.new')}</Button> : null}
      />
      {enterpriseUser ? <Alert type="info" showIcon title={t('users.ownEnterprise')} style={{ marginBottom: 12 }} /> : null}
      <FilterBar>
        <Input.Search allowClear placeholder={t('users.searchPlaceholder')} onSearch={setQ} style={{ width: 220 }} />
        <Select allowClear placeholder={t('users.role')} options={roleOptions} value={role} onChange={setRole} style={{ width: 180 }} />
        {enterpriseUser ? null : (
          <>
            <DepartmentSelect placeholder={t('users.department')} value={departmentId} onChange={setDepartmentId} style={{ width: 220 }} />
            <EnterpriseSelect placeholder={t('users.enterprise')} value={enterpriseId} onChange={setEnterpriseId} style={{ width: 240 }} />
          </>
        )}
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<User> {...tableProps} rowKey="id" columns={columns} />
      )}
      {editing ? (
        <FormModal<UserValues>
          title={editing === 'new' ? t('users.new') : t('users.edit')}
          initialValues={editing === 'new' ? {} : { username: editing.username, displayName: editing.displayName, role: editing.role, departmentId: editing.departmentId ?? undefined, enterpriseId: editing.enterpriseId ?? undefined }}
          fields={['username', 'displayName', 'role', 'departmentId', 'enterpriseId', 'password']}
          onSubmit={save}
          onClose={() => setEditing(null)}
          testId="user-modal"
        >
          {(form) => (
            <>
              <Form.Item name="username" label={t('users.username')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Input disabled={editing !== 'new'} autoComplete="off" data-testid="user-username" />
              </Form.Item>
              <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Input data-testid="user-displayName" />
              </Form.Item>
              <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Select options={roleOptions} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() => {
                  const r = form.getFieldValue('role') as Role | undefined;
                  if (!r) return null;
                  return isEnterpriseRole(r) ? (
                    <Form.Item name="enterpriseId" label={t('users.enterprise')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                      <EnterpriseSelect disabled={editing !== 'new'} />
                    </Form.Item>
                  ) : (
                    <Form.Item name="departmentId" label={t('users.department')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                      <DepartmentSelect disabled={editing !== 'new'} />
                    </Form.Item>
                  );
                }}
              </Form.Item>
              <Form.Item
                name="password"
                label={t('users.password')}
                extra={t('users.passwordHelp')}
                rules={[{ required: editing === 'new', message: t('problems.rules.required') }, { min: 10, message: t('problems.rules.password_length') }]}
              >
                <Input.Password autoComplete="new-password" data-testid="user-password" />
              </Form.Item>
            </>
          )}
        </FormModal>
      ) : null}
    </>
  );
}
