import { useEffect } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { isApiError, setUnauthorizedHandler } from './api/client';
import { SESSION_KEY } from './lib/session';
import { router } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // 4xx answers will not change on retry.
      retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

export function Root() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  useEffect(() => {
    setUnauthorizedHandler(() => queryClient.setQueryData(SESSION_KEY, null));
    return () => setUnauthorizedHandler(null);
  }, []);
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUSLocale : zhCNLocale}
      theme={{ token: { colorPrimary: '#1d4f91', borderRadius: 4 } }}
      componentSize="middle"
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} context={{ queryClient }} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
