import { Card, Col, Row, Statistic, Typography } from 'antd';
import { BankOutlined, ExperimentOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Stats } from '../api/types';
import { ErrorState, PageHeader } from '../components/common';
import { useDivision } from '../components/selects';
import { localName } from '../lib/format';
import { canSee } from '../lib/permissions';
import { useMe } from '../lib/session';

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const stats = useQuery({ queryKey: ['stats'], queryFn: () => api.get<Stats>('/stats') });
  const division = useDivision(me.jurisdiction.divisionCode);

  let scope: string;
  if (me.jurisdiction.level === 'national') scope = t('dashboard.national');
  else if (me.jurisdiction.level === 'enterprise') scope = me.enterprise ? localName(i18n.language, me.enterprise) : t('dashboard.ownEnterprise');
  else scope = `${t(`enums.jurisdictionLevel.${me.jurisdiction.level}`)} · ${division.data ? localName(i18n.language, division.data) : ''} ${me.jurisdiction.divisionCode ?? ''}`;

  const cards = [
    { key: 'enterprises', icon: <BankOutlined />, value: stats.data?.enterprises, to: '/enterprises' as const, show: canSee(me, 'enterprises') },
    { key: 'designationsCurrent', icon: <SafetyCertificateOutlined />, value: stats.data?.designationsCurrent, to: '/designations' as const, show: canSee(me, 'designations') },
    { key: 'products', icon: <ExperimentOutlined />, value: stats.data?.products, to: '/products' as const, show: canSee(me, 'products') },
    { key: 'users', icon: <TeamOutlined />, value: stats.data?.users, to: '/users' as const, show: canSee(me, 'users') },
  ];

  return (
    <>
      <PageHeader title={t('dashboard.title')} />
      <Typography.Paragraph>
        {t('dashboard.welcome', { name: me.displayName })}
        <Typography.Text type="secondary" style={{ marginLeft: 12 }} data-testid="dashboard-scope">
          {t('dashboard.scope', { scope })}
        </Typography.Text>
      </Typography.Paragraph>
      {stats.isError ? (
        <ErrorState error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        <Row gutter={[16, 16]}>
          {cards.map((c) => (
            <Col key={c.key} xs={24} sm={12} lg={6}>
              <Card size="small" loading={stats.isPending} data-testid={`stat-${c.key}`}>
                <Statistic title={t(`dashboard.${c.key}`)} value={c.value ?? 0} prefix={c.icon} />
                {c.show ? <Link to={c.to}>{t('common.detail')}</Link> : null}
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}
