import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../api/client';
import type { Me } from '../api/types';
import { LanguageSwitch } from '../components/AppLayout';
import { Loading } from '../components/common';
import { problemSummary } from '../lib/problems';
import { SESSION_KEY, useSession } from '../lib/session';

interface Credentials {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as { redirect?: string };
  const session = useSession();
  const [error, setError] = useState<string | null>(null);

  const login = useMutation({
    mutationFn: (c: Credentials) => api.post<{ user: Me }>('/session', c),
    onSuccess: ({ user }) => {
      qc.clear();
      qc.setQueryData(SESSION_KEY, user);
      void navigate({ to: search.redirect ?? '/', replace: true });
    },
    onError: (e) => {
      if (isApiError(e, 401) || isApiError(e, 400) || isApiError(e, 422)) setError(t('login.invalid'));
      else if (isApiError(e, 429)) setError(t('login.throttled'));
      else setError(problemSummary(t, e));
    },
  });

  if (session.isPending) return <Loading />;
  if (session.data && !login.isPending && !login.isSuccess) return <Navigate to={search.redirect ?? '/'} replace />;

  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: 'linear-gradient(160deg,#0f2f5c 0%,#1d4f91 55%,#e8eef7 55%)' }}>
      <Flex style={{ position: 'absolute', top: 16, right: 16 }}>
        <LanguageSwitch />
      </Flex>
      <Typography.Title level={3} style={{ color: '#fff', marginBottom: 24, textAlign: 'center', padding: '0 16px' }} data-testid="login-app-title">
        {t('app.title')}
      </Typography.Title>
      <Card style={{ width: 380, maxWidth: '92vw' }} title={t('login.title')}>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" /> : null}
        <Form<Credentials>
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => {
            setError(null);
            login.mutate(values);
          }}
          onValuesChange={() => setError(null)}
        >
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
      <Link to="/verify-report" style={{ marginTop: 12 }} data-testid="login-verify-report">{t('login.verifyReport')}</Link>
    </Flex>
  );
}
