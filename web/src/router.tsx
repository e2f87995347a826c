import { createRootRouteWithContext, createRoute, createRouter, Outlet } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { AppLayout } from './components/AppLayout';
import { NotFoundPage } from './pages/NotFoundPage';
import { LoginPage } from './pages/LoginPage';
import { DashboardPage } from './pages/DashboardPage';
import { DivisionsPage } from './pages/DivisionsPage';
import { EnterprisesPage } from './pages/EnterprisesPage';
import { EnterpriseDetailPage } from './pages/EnterpriseDetailPage';
import { EnterpriseFormPage } from './pages/EnterpriseFormPage';
import { DesignationsPage } from './pages/DesignationsPage';
import { ProductsPage } from './pages/ProductsPage';
import { GroupsPage } from './pages/GroupsPage';
import { DepartmentsPage } from './pages/DepartmentsPage';
import { UsersPage } from './pages/UsersPage';
import { AuditPage } from './pages/AuditPage';
import { PlansPage } from './pages/quota/PlansPage';
import { PlanDetailPage } from './pages/quota/PlanDetailPage';
import { BatchesPage } from './pages/quota/BatchesPage';
import { BatchDetailPage } from './pages/quota/BatchDetailPage';
import { NoticesPage } from './pages/quota/NoticesPage';
import { BalancesPage } from './pages/quota/BalancesPage';
import { CapturesPage } from './pages/trace/CapturesPage';
import { EventsPage } from './pages/trace/EventsPage';
import { LotPage, LotsPage } from './pages/trace/LotsPage';
import { ClosingsPage } from './pages/trace/ClosingsPage';
import { UploadPage } from './pages/trace/UploadPage';
import { AlertsPage } from './pages/trace/AlertsPage';
import { EnterpriseReportPage } from './pages/reports/EnterpriseReportPage';
import { InboxPage } from './pages/reports/InboxPage';
import { ReportDetailPage } from './pages/reports/ReportDetailPage';
import { CompilePage } from './pages/reports/CompilePage';
import { OverviewPage, type OverviewSearch } from './pages/reports/OverviewPage';
import { PublicVerifyPage, VerifyPage } from './pages/reports/VerifyPage';

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  component: LoginPage,
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' && search.redirect.startsWith('/') ? { redirect: search.redirect } : {},
});

/** Anyone may check a downloaded report's seal, without signing in. */
const publicVerifyRoute = createRoute({ getParentRoute: () => rootRoute, path: '/verify-report', component: PublicVerifyPage });

const appRoute = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: AppLayout });

const dashboardRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: DashboardPage });
const divisionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/divisions', component: DivisionsPage });
const enterprisesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/enterprises',
  component: EnterprisesPage,
  validateSearch: (search: Record<string, unknown>): { divisionCode?: string } =>
    typeof search.divisionCode === 'string' && /^\d{6}$/.test(search.divisionCode) ? { divisionCode: search.divisionCode } : {},
});
const enterpriseNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/enterprises/new', component: EnterpriseFormPage });
const enterpriseDetailRoute = createRoute({ getParentRoute: () => appRoute, path: '/enterprises/$id', component: EnterpriseDetailPage });
const enterpriseEditRoute = createRoute({ getParentRoute: () => appRoute, path: '/enterprises/$id/edit', component: EnterpriseFormPage });
const designationsRoute = createRoute({ getParentRoute: () => appRoute, path: '/designations', component: DesignationsPage });
const productsRoute = createRoute({ getParentRoute: () => appRoute, path: '/products', component: ProductsPage });
const groupsRoute = createRoute({ getParentRoute: () => appRoute, path: '/groups', component: GroupsPage });
const departmentsRoute = createRoute({ getParentRoute: () => appRoute, path: '/departments', component: DepartmentsPage });
const usersRoute = createRoute({ getParentRoute: () => appRoute, path: '/users', component: UsersPage });
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: '/audit', component: AuditPage });

const quotaPlansRoute = createRoute({ getParentRoute: () => appRoute, path: '/quota/plans', component: PlansPage });
const quotaPlanRoute = createRoute({ getParentRoute: () => appRoute, path: '/quota/plans/$year', component: PlanDetailPage });
const quotaBatchesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/quota/batches',
  component: BatchesPage,
  validateSearch: (search: Record<string, unknown>): { year?: number } => {
    const y = Number(search.year);
    return Number.isInteger(y) && y >= 2000 && y <= 2100 ? { year: y } : {};
  },
});
const quotaBatchRoute = createRoute({ getParentRoute: () => appRoute, path: '/quota/batches/$id', component: BatchDetailPage });
const quotaNoticesRoute = createRoute({ getParentRoute: () => appRoute, path: '/quota/notices', component: NoticesPage });
const quotaBalancesRoute = createRoute({ getParentRoute: () => appRoute, path: '/quota/balances', component: BalancesPage });

const traceCapturesRoute = createRoute({ getParentRoute: () => appRoute, path: '/trace/captures', component: CapturesPage });
const traceEventsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/trace/events',
  component: EventsPage,
  validateSearch: (search: Record<string, unknown>): { epc?: string } =>
    typeof search.epc === 'string' && search.epc.trim() !== '' ? { epc: search.epc.trim() } : {},
});
const traceLotsRoute = createRoute({ getParentRoute: () => appRoute, path: '/trace/lots', component: LotsPage });
const traceLotRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/trace/lots/view',
  component: LotPage,
  validateSearch: (search: Record<string, unknown>): { uri?: string } =>
    typeof search.uri === 'string' && search.uri.trim() !== '' ? { uri: search.uri.trim() } : {},
});
const traceClosingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/trace/closings', component: ClosingsPage });
const traceUploadRoute = createRoute({ getParentRoute: () => appRoute, path: '/trace/upload', component: UploadPage });
const traceAlertsRoute = createRoute({ getParentRoute: () => appRoute, path: '/trace/alerts', component: AlertsPage });

const reportsEnterpriseRoute = createRoute({ getParentRoute: () => appRoute, path: '/reports/enterprise', component: EnterpriseReportPage });
const reportsInboxRoute = createRoute({ getParentRoute: () => appRoute, path: '/reports/inbox', component: InboxPage });
const reportsCompileRoute = createRoute({ getParentRoute: () => appRoute, path: '/reports/compile', component: CompilePage });
const reportsOverviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports/overview',
  component: OverviewPage,
  // A typed URL may carry numbers (?period=2026&divisionCode=360700): read them as text.
  validateSearch: (search: Record<string, unknown>): OverviewSearch => {
    const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
    const period = text(search.period);
    const divisionCode = text(search.divisionCode);
    return {
      ...(/^\d{4}(-\d{2})?$/.test(period) ? { period } : {}),
      ...(/^(\d{6}|CN)$/.test(divisionCode) ? { divisionCode } : {}),
    };
  },
});
const reportsVerifyRoute = createRoute({ getParentRoute: () => appRoute, path: '/reports/verify', component: VerifyPage });
const reportDetailRoute = createRoute({ getParentRoute: () => appRoute, path: '/reports/$id', component: ReportDetailPage });

const routeTree = rootRoute.addChildren([
  loginRoute,
  publicVerifyRoute,
  appRoute.addChildren([
    dashboardRoute,
    divisionsRoute,
    enterprisesRoute,
    enterpriseNewRoute,
    enterpriseDetailRoute,
    enterpriseEditRoute,
    designationsRoute,
    productsRoute,
    groupsRoute,
    departmentsRoute,
    usersRoute,
    auditRoute,
    quotaPlansRoute,
    quotaPlanRoute,
    quotaBatchesRoute,
    quotaBatchRoute,
    quotaNoticesRoute,
    quotaBalancesRoute,
    traceCapturesRoute,
    traceEventsRoute,
    traceLotsRoute,
    traceLotRoute,
    traceClosingsRoute,
    traceUploadRoute,
    traceAlertsRoute,
    reportsEnterpriseRoute,
    reportsInboxRoute,
    reportsCompileRoute,
    reportsOverviewRoute,
    reportsVerifyRoute,
    reportDetailRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient: undefined! },
  defaultPreload: 'intent',
  defaultNotFoundComponent: NotFoundPage,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
