import { Result } from 'antd';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

export function NotFoundPage() {
  const { t } = useTranslation();
  return <Result status="404" title={t('common.pageNotFound')} data-testid="page-not-found" extra={<Link to="/">{t('common.home')}</Link>} />;
}
