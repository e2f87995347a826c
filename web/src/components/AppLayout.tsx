import { useState, type ReactNode } from 'react';
import { Button, Flex, Layout, Menu, Segmented, Tag, Tooltip, Typography, App as AntApp } from 'antd';
import {
  ApartmentOutlined, AuditOutlined, BankOutlined, ClusterOutlined, DashboardOutlined, EnvironmentOutlined,
  AlertOutlined, BarChartOutlined, BranchesOutlined, FileDoneOutlined, FileSearchOutlined, FileProtectOutlined, FileTextOutlined, SafetyOutlined, CloudUploadOutlined, DeploymentUnitOutlined, ExperimentOutlined, FieldTimeOutlined, InboxOutlined, LogoutOutlined, NodeIndexOutlined, ProfileOutlined, FundOutlined, NotificationOutlined, PieChartOutlined, ScheduleOutlined, SafetyCertificateOutlined, TeamOutlined, UserOutlined,
} from '@ant-design/icons';
import { Navigate, Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Me } from '../api/types';
import { setLanguage, type Language } from '../i18n';
import { localName } from '../lib/format';
import { canSee, type Section } from '../lib/permissions';
import { MeContext, SESSION_KEY, useSession } from '../lib/session';
import { COMPACT_TAG, ErrorState, Loading } from './common';

const MENU: { section: Section; path: string; icon: ReactNode }[] = [
  { section: 'dashboard', path: '/', icon: <DashboardOutlined /> },
  { section: 'enterprises', path: '/enterprises', icon: <BankOutlined /> },
  { section: 'designations', path: '/designations', icon: <SafetyCertificateOutlined /> },
  { section: 'products', path: '/products', icon: <ExperimentOutlined /> },
  { section: 'quotaPlans', path: '/quota/plans', icon: <ScheduleOutlined /> },
  { section: 'quotaBatches', path: '/quota/batches', icon: <PieChartOutlined /> },
  { section: 'quotaNotices', path: '/quota/notices', icon: <NotificationOutlined /> },
  { section: 'quotaBalances', path: '/quota/balances', icon: <FundOutlined /> },
  { section: 'divisions', path: '/divisions', icon: <EnvironmentOutlined /> },
  { section: 'groups', path: '/groups', icon: <ClusterOutlined /> },
  { section: 'departments', path: '/departments', icon: <ApartmentOutlined /> },
  { section: 'users', path: '/users', icon: <TeamOutlined /> },
  { section: 'audit', path: '/audit', icon: <AuditOutlined /> },
];

/** The traceability pages, in a menu group of their own after the quota pages. */
const TRACE_MENU: { section: Section; path: string; icon: ReactNode }[] = [
  { section: 'traceLots', path: '/trace/lots', icon: <BranchesOutlined /> },
  { section: 'traceEvents', path: '/trace/events', icon: <ProfileOutlined /> },
  { section: 'traceCaptures', path: '/trace/captures', icon: <InboxOutlined /> },
  { section: 'traceUpload', path: '/trace/upload', icon: <CloudUploadOutlined /> },
  { section: 'traceClosings', path: '/trace/closings', icon: <FieldTimeOutlined /> },
  { section: 'traceAlerts', path: '/trace/alerts', icon: <AlertOutlined /> },
];
const TRACE_GROUP = 'trace';

/** Implementation reports (Art. 9, 12), a group of their own after traceability. */
const REPORTS_MENU: { section: Section; path: string; icon: ReactNode }[] = [
  { section: 'reportsEnterprise', path: '/reports/enterprise', icon: <FileTextOutlined /> },
  { section: 'reportsInbox', path: '/reports/inbox', icon: <FileSearchOutlined /> },
  { section: 'reportsCompile', path: '/reports/compile', icon: <FileDoneOutlined /> },
  { section: 'reportsOverview', path: '/reports/overview', icon: <BarChartOutlined /> },
  { section: 'reportsVerify', path: '/reports/verify', icon: <SafetyOutlined /> },
];
const REPORTS_GROUP = 'reports';
const GROUPS = [TRACE_GROUP, REPORTS_GROUP] as const;
type Group = (typeof GROUPS)[number];
/** The trace group sits after this item (the last quota page). */
const TRACE_AFTER = '/quota/balances';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Language>
      size="small"
      aria-label={t('lang.label')}
      data-testid="language-switch"
      value={i18n.language === 'en' ? 'en' : 'zh-CN'}
      onChange={(v) => setLanguage(v)}
      options={[
        { value: 'zh-CN', label: <span data-testid="lang-zh">{t('lang.zh')}</span> },
        { value: 'en', label: <span data-testid="lang-en">{t('lang.en')}</span> },
      ]}
    />
  );
}

function organisationOf(me: Me, lang: string): string {
  if (me.enterprise) return localName(lang, me.enterprise);
  if (me.department) return localName(lang, me.department);
  return '';
}

export function AppLayout() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) {
    const redirect = location.pathname === '/' ? undefined : location.href;
    return <Navigate to="/login" search={redirect ? { redirect } : {}} replace />;
  }
  return (
    <MeContext.Provider value={session.data}>
      <Shell me={session.data} />
    </MeContext.Provider>
  );
}

function Shell({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [collapsed, setCollapsed] = useState(false);
  const org = organisationOf(me, i18n.language);

  const toItem = (m: (typeof MENU)[number]) => ({
    key: m.path,
    icon: m.icon,
    label: <span data-testid={`menu-${m.section}`}>{t(`menu.${m.section}`)}</span>,
  });
  const traceItems = TRACE_MENU.filter((m) => canSee(me, m.section)).map(toItem);
  const traceGroup = traceItems.length
    ? [{ key: TRACE_GROUP, icon: <DeploymentUnitOutlined />, label: <span data-testid="menu-trace">{t('menu.trace')}</span>, children: traceItems }]
    : [];
  const reportItems = REPORTS_MENU.filter((m) => canSee(me, m.section)).map(toItem);
  const reportsGroup = reportItems.length
    ? [{ key: REPORTS_GROUP, icon: <FileProtectOutlined />, label: <span data-testid="menu-reports">{t('menu.reports')}</span>, children: reportItems }]
    : [];
  const plain = MENU.filter((m) => canSee(me, m.section)).map(toItem);
  const after = plain.findIndex((i) => i.key === TRACE_AFTER);
  const cut = after >= 0 ? after + 1 : plain.findIndex((i) => i.key === '/divisions') >= 0 ? plain.findIndex((i) => i.key === '/divisions') : plain.length;
  const items = [...plain.slice(0, cut), ...traceGroup, ...reportsGroup, ...plain.slice(cut)];
  const path = location.pathname;
  const selected = [...MENU, ...TRACE_MENU, ...REPORTS_MENU].filter((m) => m.path !== '/' && path.startsWith(m.path)).map((m) => m.path);
  // A group opens by itself on one of its pages; the user may open or close it at will.
  const onGroupPage: Record<Group, boolean> = { trace: path.startsWith('/trace/'), reports: path.startsWith('/reports/') };
  const [groupOpen, setGroupOpen] = useState<Record<Group, boolean | null>>({ trace: null, reports: null });
  const openKeys = GROUPS.filter((g) => groupOpen[g] ?? onGroupPage[g]);

  const logout = async () => {
    try {
      await api.delete('/session');
    } catch {
      /* the session may already be gone */
    }
    qc.clear();
    qc.setQueryData(SESSION_KEY, null);
    message.info(t('header.loggedOut'));
    void navigate({ to: '/login', search: {} });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={200}
        theme="dark"
        breakpoint="lg"
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <div style={{ color: '#fff', padding: '14px 16px', fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          {collapsed ? 'Y' : t('app.short')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          data-testid="side-menu"
          selectedKeys={selected.length ? selected : [path === '/' ? '/' : path]}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={(keys) => {
            // Popups of the collapsed menu open and close on hover: they do not change the group's state.
            // Only the group the user opened or closed stops following the page.
            if (collapsed) return;
            const next = { ...groupOpen };
            for (const g of GROUPS) if (keys.includes(g) !== openKeys.includes(g)) next[g] = keys.includes(g);
            setGroupOpen(next);
          }}
          items={items}
          onClick={({ key }) => void navigate({ to: key })}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0', height: 52, lineHeight: '52px' }}
        >
          <Typography.Text strong ellipsis={{ tooltip: true }} style={{ flex: '1 1 auto', minWidth: 0, marginRight: 16 }} data-testid="app-title">
            {t('app.title')}
          </Typography.Text>
          <Flex align="center" gap={12} wrap={false} style={{ flex: '0 0 auto', whiteSpace: 'nowrap' }}>
            {/* Name and organisation in full, on two compact lines: the title gives way instead. */}
            <Flex align="center" gap={8} data-testid="current-user" style={{ lineHeight: '18px' }}>
              <UserOutlined style={{ fontSize: 16, color: '#8c8c8c' }} />
              <Flex vertical justify="center">
                <Flex align="center" gap={6}>
                  <Typography.Text strong style={{ fontSize: 13 }} data-testid="current-user-name">{me.displayName}</Typography.Text>
                  <Tag color="blue" style={{ ...COMPACT_TAG, marginInlineEnd: 0 }} data-testid="current-user-role">{t(`enums.role.${me.role}`)}</Tag>
                </Flex>
                {org ? (
                  <Tooltip title={t('header.organisation')} placement="bottom">
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="current-user-org">{org}</Typography.Text>
                  </Tooltip>
                ) : null}
              </Flex>
            </Flex>
            <LanguageSwitch />
            <Button size="small" icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
              {t('header.logout')}
            </Button>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          <div style={{ background: '#fff', padding: 16, borderRadius: 4, minHeight: 'calc(100vh - 120px)' }}>
            <Outlet />
          </div>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', padding: '8px 16px', fontSize: 12, color: '#888' }}>{t('app.footer')}</Layout.Footer>
      </Layout>
    </Layout>
  );
}
