import { Button, Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Designation, Enterprise, Licence, User } from '../api/types';
import { ActiveTag, DeactivateButton, ErrorState, Loading, PageHeader } from '../components/common';
import { DesignationStatusTag, ministryNames } from './DesignationsPage';
import { useDivision, useGroupNames } from '../components/selects';
import { formatDate, formatDateTime, localName, trimDecimal } from '../lib/format';
import { canSee, canWriteEnterprises } from '../lib/permissions';
import { useMe } from '../lib/session';

export function EnterpriseDetailPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { id = '' } = useParams({ strict: false }) as { id?: string };
  const enterprise = useQuery({ queryKey: ['enterprises', 'one', id], queryFn: () => api.get<Enterprise>(`/enterprises/${encodeURIComponent(id)}`) });
  const division = useDivision(enterprise.data?.domicileDivisionCode);
  const groups = useGroupNames();
  const designations = useQuery({
    queryKey: ['designations', 'list', { enterpriseId: id, pageSize: 100 }],
    queryFn: () => api.list<Designation>('designations', { enterpriseId: id, pageSize: 100 }),
    enabled: enterprise.isSuccess && canSee(me, 'designations'),
  });
  const users = useQuery({
    queryKey: ['users', 'list', { enterpriseId: id, pageSize: 100 }],
    queryFn: () => api.list<User>('users', { enterpriseId: id, pageSize: 100 }),
    enabled: enterprise.isSuccess && canSee(me, 'users'),
  });

  if (enterprise.isPending) return <Loading />;
  if (enterprise.isError) return <ErrorState error={enterprise.error} onRetry={() => void enterprise.refetch()} />;
  const e = enterprise.data;

  return (
    <div data-testid="enterprise-detail">
      <PageHeader
        title={<Space><Link to="/enterprises"><ArrowLeftOutlined /></Link>{localName(i18n.language, e)}<ActiveTag active={e.active} /></Space>}
        extra={canWriteEnterprises(me) ? (
          <>
            <Button icon={<EditOutlined />} onClick={() => void navigate({ to: '/enterprises/$id/edit', params: { id: e.id } })} data-testid="enterprise-edit">
              {t('common.edit')}
            </Button>
            {e.active ? <DeactivateButton resource="enterprises" id={e.id} size="middle" /> : null}
          </>
        ) : null}
      />
      <Card size="small" title={t('enterprises.basic')} style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} bordered>
          <Descriptions.Item label={t('enterprises.creditCode')}><span data-testid="detail-credit-code" style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{e.creditCode}</span></Descriptions.Item>
          <Descriptions.Item label={t('enterprises.nameZh')}>{e.nameZh}</Descriptions.Item>
          <Descriptions.Item label={t('enterprises.nameEn')}>{e.nameEn ?? t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('enterprises.domicile')}>
            <span data-testid="detail-division">{e.domicileDivisionCode}</span> {division.data ? localName(i18n.language, division.data) : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('enterprises.group')}>{e.groupId ? localName(i18n.language, groups.get(e.groupId)) || e.groupId : t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('enterprises.capacity')}>{e.capacityTonnesReo ? trimDecimal(e.capacityTonnesReo) : t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('enterprises.activities')} span={2}>
            <Space size={[0, 4]} wrap>{e.activities.map((a) => <Tag key={a}>{t(`enums.activity.${a}`)}</Tag>)}</Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('common.updatedAt')}>{formatDateTime(e.updatedAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('enterprises.licences')} style={{ marginBottom: 12 }}>
        <Table<Licence>
          size="small"
          rowKey={(l) => l.id ?? `${l.kind}-${l.number}`}
          pagination={false}
          dataSource={e.licences}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.noLicences')} /> }}
          columns={[
            { key: 'kind', dataIndex: 'kind', title: t('enterprises.licenceKind'), render: (v: string) => t(`enums.licenceKind.${v}`) },
            { key: 'number', dataIndex: 'number', title: t('enterprises.licenceNumber') },
            { key: 'issuedBy', dataIndex: 'issuedBy', title: t('enterprises.issuedBy') },
            { key: 'validFrom', dataIndex: 'validFrom', title: t('enterprises.validFrom'), render: formatDate },
            { key: 'validTo', dataIndex: 'validTo', title: t('enterprises.validTo'), render: formatDate },
            { key: 'status', dataIndex: 'status', title: t('enterprises.licenceStatus'), render: (v: Licence['status']) => (v ? <DesignationStatusTag status={v} /> : null) },
          ]}
        />
      </Card>
      {canSee(me, 'designations') ? (
        <Card size="small" title={t('enterprises.designations')} style={{ marginBottom: 12 }}>
          <Table<Designation>
            size="small"
            rowKey="id"
            pagination={false}
            loading={designations.isFetching}
            dataSource={designations.data?.items ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.noDesignations')} /> }}
            columns={[
              { key: 'activity', dataIndex: 'activity', title: t('designations.activity'), render: (v: string) => t(`enums.activity.${v}`) },
              { key: 'oreKind', dataIndex: 'oreKind', title: t('designations.oreKind'), render: (v: string | null) => (v ? t(`enums.oreKind.${v}`) : t('common.none')) },
              { key: 'documentNo', dataIndex: 'documentNo', title: t('designations.documentNo') },
              { key: 'designatedBy', dataIndex: 'designatedBy', title: t('designations.designatedBy'), render: (v: string) => ministryNames(t, v) },
              { key: 'validFrom', dataIndex: 'validFrom', title: t('designations.validFrom'), render: formatDate },
              { key: 'validTo', dataIndex: 'validTo', title: t('designations.validTo'), render: formatDate },
              { key: 'status', dataIndex: 'status', title: t('designations.status'), render: (v: Designation['status']) => <DesignationStatusTag status={v} /> },
            ]}
          />
        </Card>
      ) : null}
      {canSee(me, 'users') && users.isSuccess ? (
        <Card size="small" title={t('enterprises.users')}>
          <Table<User>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={users.data.items}
            columns={[
              { key: 'username', dataIndex: 'username', title: t('users.username') },
              { key: 'displayName', dataIndex: 'displayName', title: t('users.displayName') },
              { key: 'role', dataIndex: 'role', title: t('users.role'), render: (v: string) => t(`enums.role.${v}`) },
              { key: 'active', dataIndex: 'active', title: t('common.state'), render: (v: boolean) => <ActiveTag active={v} /> },
            ]}
          />
        </Card>
      ) : null}
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>{e.id}</Typography.Paragraph>
    </div>
  );
}
