import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Col, DatePicker, Flex, Form, Input, Row, Select, Space, App as AntApp } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { ACTIVITIES, LICENCE_KINDS, type Activity, type Enterprise, type EnterpriseInput, type LicenceKind } from '../api/types';
import { ErrorState, Loading, PageHeader, ProblemAlert } from '../components/common';
import { DivisionSelect, GroupSelect, useEnumOptions } from '../components/selects';
import { canWriteEnterprises } from '../lib/permissions';
import { trimDecimal } from '../lib/format';
import { applyProblemToForm } from '../lib/problems';
import { useMe } from '../lib/session';

interface LicenceValues {
  kind?: LicenceKind;
  number?: string;
  issuedBy?: string;
  validFrom?: Dayjs;
  validTo?: Dayjs;
}

interface FormValues {
  creditCode: string;
  nameZh: string;
  nameEn?: string;
  groupId?: string;
  domicileDivisionCode?: string;
  activities: Activity[];
  capacityTonnesReo?: string;
  licences: LicenceValues[];
}

const FIELDS = ['creditCode', 'nameZh', 'nameEn', 'groupId', 'domicileDivisionCode', 'activities', 'capacityTonnesReo', 'licences'] as const;

function toBody(v: FormValues): EnterpriseInput {
  const blank = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());
  return {
    creditCode: (v.creditCode ?? '').trim().toUpperCase(),
    nameZh: (v.nameZh ?? '').trim(),
    nameEn: blank(v.nameEn),
    groupId: v.groupId ?? null,
    domicileDivisionCode: v.domicileDivisionCode ?? '',
    activities: v.activities ?? [],
    capacityTonnesReo: blank(v.capacityTonnesReo),
    licences: (v.licences ?? []).map((l) => ({
      kind: l.kind as LicenceKind,
      number: (l.number ?? '').trim(),
      issuedBy: (l.issuedBy ?? '').trim(),
      validFrom: l.validFrom ? l.validFrom.format('YYYY-MM-DD') : '',
      validTo: l.validTo ? l.validTo.format('YYYY-MM-DD') : '',
    })),
  };
}

function toValues(e: Enterprise): FormValues {
  return {
    creditCode: e.creditCode,
    nameZh: e.nameZh,
    nameEn: e.nameEn ?? undefined,
    groupId: e.groupId ?? undefined,
    domicileDivisionCode: e.domicileDivisionCode,
    activities: e.activities,
    capacityTonnesReo: e.capacityTonnesReo ? trimDecimal(e.capacityTonnesReo) : undefined,
    licences: e.licences.map((l) => ({ kind: l.kind, number: l.number, issuedBy: l.issuedBy, validFrom: dayjs(l.validFrom), validTo: dayjs(l.validTo) })),
  };
}

/** Create (/enterprises/new) or edit (/enterprises/$id/edit) an enterprise; ministry_admin only. */
export function EnterpriseFormPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const { id } = useParams({ strict: false }) as { id?: string };
  const editing = !!id;
  const [form] = Form.useForm<FormValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const activityOptions = useEnumOptions('activity', ACTIVITIES);
  const licenceKindOptions = useEnumOptions('licenceKind', LICENCE_KINDS);

  const existing = useQuery({
    queryKey: ['enterprises', 'one', id],
    queryFn: () => api.get<Enterprise>(`/enterprises/${encodeURIComponent(id ?? '')}`),
    enabled: editing,
  });
  useEffect(() => {
    if (existing.data) form.setFieldsValue(toValues(existing.data));
  }, [existing.data, form]);

  const save = useMutation({
    mutationFn: (body: EnterpriseInput) => {
      if (!editing) return api.post<Enterprise>('/enterprises', body);
      // The credit code identifies the enterprise and cannot be changed; licences are replaced as a whole.
      const { creditCode: _unchanged, ...patch } = body;
      return api.patch<Enterprise>(`/enterprises/${encodeURIComponent(id ?? '')}`, patch);
    },
    onSuccess: async (saved) => {
      message.success(editing ? t('common.saved') : t('common.created'));
      await qc.invalidateQueries({ queryKey: ['enterprises'] });
      await qc.invalidateQueries({ queryKey: ['stats'] });
      void navigate({ to: '/enterprises/$id', params: { id: saved.id } });
    },
    onError: (e) => {
      const { general } = applyProblemToForm(t, form, e, FIELDS);
      setProblems(general);
      if (general.length) message.error(general[0]);
    },
  });

  if (!canWriteEnterprises(me)) return <ErrorState error={new ApiError(403, {})} />;
  if (editing && existing.isPending) return <Loading />;
  if (editing && existing.isError) return <ErrorState error={existing.error} />;

  return (
    <>
      <PageHeader
        title={<Space><Link to={editing ? '/enterprises/$id' : '/enterprises'} params={editing ? { id } : undefined}><ArrowLeftOutlined /></Link>{editing ? t('enterprises.edit') : t('enterprises.new')}</Space>}
      />
      <ProblemAlert messages={problems} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ activities: [], licences: [] }}
        onFinish={(v) => {
          setProblems([]);
          save.mutate(toBody(v));
        }}
        data-testid="enterprise-form"
        scrollToFirstError
      >
        <Card size="small" title={t('enterprises.basic')} style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="creditCode" label={t('enterprises.creditCode')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Input maxLength={18} disabled={editing} style={{ fontFamily: 'monospace' }} data-testid="field-creditCode" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="nameZh" label={t('enterprises.nameZh')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <Input data-testid="field-nameZh" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="nameEn" label={t('enterprises.nameEn')}>
                <Input data-testid="field-nameEn" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="domicileDivisionCode" label={t('enterprises.domicile')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                <DivisionSelect data-testid="field-domicileDivisionCode" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="groupId" label={t('enterprises.group')}>
                <GroupSelect data-testid="field-groupId" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="capacityTonnesReo" label={t('enterprises.capacity')} extra={t('enterprises.capacityHelp')}>
                <Input inputMode="decimal" data-testid="field-capacityTonnesReo" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="activities" label={t('enterprises.activities')} rules={[{ required: true, type: 'array', min: 1, message: t('problems.rules.required') }]}>
                <Checkbox.Group options={activityOptions} data-testid="field-activities" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('enterprises.licences')} style={{ marginBottom: 12 }}>
          <Form.List name="licences">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Row key={field.key} gutter={8} align="top" data-testid={`licence-${field.name}`}>
                    <Col xs={24} md={5}>
                      <Form.Item name={[field.name, 'kind']} label={t('enterprises.licenceKind')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                        <Select options={licenceKindOptions} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={5}>
                      <Form.Item name={[field.name, 'number']} label={t('enterprises.licenceNumber')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={5}>
                      <Form.Item name={[field.name, 'issuedBy']} label={t('enterprises.issuedBy')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[field.name, 'validFrom']} label={t('enterprises.validFrom')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                        <DatePicker style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={12} md={4}>
                      <Form.Item name={[field.name, 'validTo']} label={t('enterprises.validTo')} rules={[{ required: true, message: t('problems.rules.required') }]}>
                        <DatePicker style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={1}>
                      <Form.Item label=" ">
                        <Button danger type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                      </Form.Item>
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="licence-add">
                  {t('enterprises.addLicence')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="enterprise-submit">
            {t('common.save')}
          </Button>
          <Button onClick={() => (editing ? void navigate({ to: '/enterprises/$id', params: { id } }) : void navigate({ to: '/enterprises' }))}>
            {t('common.cancel')}
          </Button>
        </Flex>
      </Form>
    </>
  );
}
