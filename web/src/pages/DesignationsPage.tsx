import { useState, type ReactNode } from 'react';
import { Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Tooltip, App as AntApp, type TableColumnsType } from 'antd';
import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { SIGNING_MINISTRIES } from '../api/quota';
import {
  DESIGNATION_ACTIVITIES, DESIGNATION_STATUSES, ORE_KINDS, type Designation, type DesignationActivity, type DesignationStatus, type OreKind,
} from '../api/types';
import { ErrorState, FilterBar, PageHeader, ProblemAlert } from '../components/common';
import { FormModal } from '../components/FormModal';
import { EnterpriseSelect, useEnumOptions } from '../components/selects';
import { formatDate, formatDateTime, localName } from '../lib/format';
import { canWrite, isEnterpriseRole } from '../lib/permissions';
import { problemSummary } from '../lib/problems';
import { useMe } from '../lib/session';
import { useServerTable } from '../lib/table';

const REVOCABLE: readonly DesignationStatus[] = ['current', 'pending'];

/** "MIIT,MNR" → "工业和信息化部、自然资源部" / "MIIT, MNR"; unknown codes stay as they are. */
export function ministryNames(t: TFunction, codes: string): string {
  return codes.split(',').map((c) => c.trim()).filter(Boolean).map((c) => t(`quota.ministry.${c}`, { defaultValue: c })).join(t('common.listSeparator'));
}

const STATUS_COLOURS: Record<DesignationStatus, string> = { current: 'green', pending: 'blue', expired: 'default', revoked: 'red' };

export function DesignationStatusTag({ status }: { status: DesignationStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOURS[status]}>{t(`enums.designationStatus.${status}`)}</Tag>;
}

interface DesignationValues {
  enterpriseId: string;
  activity: DesignationActivity;
  oreKind?: OreKind;
  designatedBy: string[];
  documentNo: string;
  validFrom: Dayjs;
  validTo: Dayjs;
}

function RevokeModal({ designation, onClose }: { designation: Designation; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const revoke = useMutation({
    mutationFn: () => api.post(`/designations/${designation.id}/revoke`, { reason: reason.trim() }),
    onSuccess: async () => {
      message.success(t('designations.revoked'));
      await qc.invalidateQueries({ queryKey: ['designations'] });
      await qc.invalidateQueries({ queryKey: ['stats'] });
      onClose();
    },
    onError: (e) => setProblems([problemSummary(t, e)]),
  });
  return (
    <Modal
      open
      title={`${t('designations.revokeTitle')} · ${designation.enterpriseNameZh} · ${designation.documentNo}`}
      okText={t('designations.revoke')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, disabled: !reason.trim(), ...({ 'data-testid': 'revoke-ok' } as Record<string, string>) }}
      confirmLoading={revoke.isPending}
      onOk={() => revoke.mutate()}
      onCancel={onClose}
    >
      <ProblemAlert messages={problems} />
      <Form layout="vertical">
        <Form.Item label={t('designations.revokeReason')} required help={reason.trim() ? undefined : t('designations.revokeReasonRequired')}>
          <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="revoke-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function DesignationsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [enterpriseId, setEnterpriseId] = useState<string>();
  const [activity, setActivity] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Designation | null>(null);
  const activityOptions = useEnumOptions('activity', DESIGNATION_ACTIVITIES);
  const oreOptions = useEnumOptions('oreKind', ORE_KINDS);
  const statusOptions = useEnumOptions('designationStatus', DESIGNATION_STATUSES);
  const { query, tableProps, sortOrder } = useServerTable<Designation>('designations', { q, enterpriseId, activity, status }, { defaultSort: 'enterpriseNameZh' });

  const ellipsisCell = (text: string, node: ReactNode = text) => <Tooltip title={text} placement="topLeft"><span>{node}</span></Tooltip>;
  const columns: TableColumnsType<Designation> = [
    {
      key: 'enterpriseNameZh', dataIndex: 'enterpriseNameZh', title: t('designations.enterprise'), sorter: true, sortOrder: sortOrder('enterpriseNameZh'), ellipsis: { showTitle: false },
      render: (_v: string, d) => {
        const name = localName(i18n.language, { nameZh: d.enterpriseNameZh, nameEn: d.enterpriseNameEn });
        return ellipsisCell(name, <Link to="/enterprises/$id" params={{ id: d.enterpriseId }}>{name}</Link>);
      },
    },
    { key: 'activity', dataIndex: 'activity', title: t('designations.activity'), width: 100, sorter: true, sortOrder: sortOrder('activity'), render: (v: string) => t(`enums.activity.${v}`) },
    { key: 'oreKind', dataIndex: 'oreKind', title: t('designations.oreKind'), width: 95, render: (v: string | null) => (v ? t(`enums.oreKind.${v}`) : t('common.none')) },
    { key: 'documentNo', dataIndex: 'documentNo', title: t('designations.documentNo'), width: 150, ellipsis: { showTitle: false }, render: (v: string) => ellipsisCell(v) },
    {
      key: 'designatedBy', dataIndex: 'designatedBy', title: t('designations.designatedBy'), width: 170, ellipsis: { showTitle: false },
      render: (v: string) => ellipsisCell(ministryNames(t, v)),
    },
    { key: 'validFrom', dataIndex: 'validFrom', title: t('designations.validFrom'), width: 105, sorter: true, sortOrder: sortOrder('validFrom'), render: formatDate },
    { key: 'validTo', dataIndex: 'validTo', title: t('designations.validTo'), width: 105, sorter: true, sortOrder: sortOrder('validTo'), render: formatDate },
    {
      key: 'status', dataIndex: 'status', title: t('designations.status'), width: 80,
      render: (v: DesignationStatus, d) => d.revokedAt ? (
        <Tooltip title={`${formatDateTime(d.revokedAt)} · ${d.revocationReason ?? ''}`}><span><DesignationStatusTag status={v} /></span></Tooltip>
      ) : <DesignationStatusTag status={v} />,
    },
  ];
  if (canWrite(me)) {
    columns.push({
      key: 'actions', title: t('common.actions'), width: 100,
      // Only a designation in force or yet to start can be revoked; an expired one has simply lapsed.
      render: (_, d) => REVOCABLE.includes(d.status) ? (
        <Button size="small" danger icon={<StopOutlined />} onClick={() => setRevoking(d)} data-testid="designation-revoke">{t('designations.revoke')}</Button>
      ) : null,
    });
  }

  const create = async (v: DesignationValues) => {
    await api.post('/designations', {
      enterpriseId: v.enterpriseId,
      activity: v.activity,
      oreKind: v.activity === 'mining' ? (v.oreKind ?? null) : null,
      designatedBy: (v.designatedBy ?? []).join(','),
      documentNo: v.documentNo,
      validFrom: v.validFrom?.format('YYYY-MM-DD'),
      validTo: v.validTo?.format('YYYY-MM-DD'),
    });
    await qc.invalidateQueries({ queryKey: ['designations'] });
    await qc.invalidateQueries({ queryKey: ['stats'] });
  };

  return (
    <>
      <PageHeader
        title={t('designations.title')}
        extra={canWrite(me) ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="designation-new">{t('designations.new')}</Button> : null}
      />
      <FilterBar>
        <Input.Search allowClear placeholder={t('designations.documentNo')} onSearch={setQ} style={{ width: 200 }} />
        {isEnterpriseRole(me.role) ? null : (
          <EnterpriseSelect placeholder={t('designations.enterpriseFilter')} value={enterpriseId} onChange={setEnterpriseId} style={{ width: 260 }} />
        )}
        <Select allowClear placeholder={t('designations.activity')} options={activityOptions} value={activity} onChange={setActivity} style={{ width: 160 }} />
        <Select allowClear placeholder={t('designations.status')} options={statusOptions} value={status} onChange={setStatus} style={{ width: 120 }} />
      </FilterBar>
      {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : (
        <Table<Designation> {...tableProps} scroll={{ x: 1100 }} rowKey="id" columns={columns} />
      )}
      {creating ? (
        <FormModal<DesignationValues>
          title={t('designations.new')}
          initialValues={{ activity: 'mining', designatedBy: ['MIIT', 'MNR'] }}
          fields={['enterpriseId', 'activity', 'oreKind', 'designatedBy', 'documentNo', 'validFrom', 'validTo']}
          onSubmit={create}
          onClose={() => setCreating(false)}
          testId="designation-modal"
        >
          {(form) => (
            <>
              <Form.Item name="enterpriseId" label={t('designations.enterprise')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <EnterpriseSelect />
              </Form.Item>
              <Form.Item name="activity" label={t('designations.activity')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Select options={activityOptions} />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() => form.getFieldValue('activity') === 'mining' ? (
                  <Form.Item name="oreKind" label={t('designations.oreKind')} rules={[{ required: true, message: t('problems.rules.ore_kind_required') }]}>
                    <Select options={oreOptions} />
                  </Form.Item>
                ) : null}
              </Form.Item>
              <Form.Item name="designatedBy" label={t('designations.designatedBy')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Select mode="multiple" options={SIGNING_MINISTRIES.map((m) => ({ value: m, label: t(`quota.ministry.${m}`) }))} data-testid="designation-designated-by" />
              </Form.Item>
              <Form.Item name="documentNo" label={t('designations.documentNo')} rules={[{ required: true, message: t('problems.rules.required') }]}><Input /></Form.Item>
              <Space wrap>
                <Form.Item name="validFrom" label={t('designations.validFrom')} rules={[{ required: true, message: t('problems.rules.required') }]}><DatePicker /></Form.Item>
                <Form.Item name="validTo" label={t('designations.validTo')} rules={[{ required: true, message: t('problems.rules.required') }]}><DatePicker /></Form.Item>
              </Space>
            </>
          )}
        </FormModal>
      ) : null}
      {revoking ? <RevokeModal designation={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}
