import { useState } from 'react';
import { Badge, Button, Card, List, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { reportsApi, type ReportNotice } from '../../api/reports';
import { formatChinaTime } from '../trace/common';

/** The report this notice is about, when its payload names one. */
function reportIdOf(n: ReportNotice): string | null {
  const p = n.payload;
  return p && typeof p === 'object' && 'reportId' in p && typeof (p as { reportId: unknown }).reportId === 'string' ? (p as { reportId: string }).reportId : null;
}

/** Unread in-app notices of the reporting process (submissions, returns, reminders, overdue); nothing when there are none. */
export function ReportNotices() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const notices = useQuery({ queryKey: ['reports', 'notices', 'unread'], queryFn: () => reportsApi.notices(true), retry: false });
  const read = useMutation({
    mutationFn: (id: string) => reportsApi.markNoticeRead(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports', 'notices'] }),
  });
  const [expanded, setExpanded] = useState(false);
  const items = notices.data ?? [];
  if (items.length === 0) return null;
  const shown = expanded ? items.slice(0, 50) : items.slice(0, 3);
  return (
    <Card
      size="small" style={{ marginBottom: 12 }} data-testid="report-notices"
      title={<Badge count={items.length} size="small" offset={[10, 0]}>{t('reports.notices')}</Badge>}
    >
      <List<ReportNotice>
        size="small"
        dataSource={shown}
        renderItem={(n) => {
          const id = reportIdOf(n);
          return (
            <List.Item
              data-testid="report-notice"
              actions={[
                <Button key="read" type="link" size="small" icon={<CheckOutlined />} loading={read.isPending && read.variables === n.id} onClick={() => read.mutate(n.id)} data-testid="notice-read">
                  {t('reports.markRead')}
                </Button>,
              ]}
            >
              <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 8, whiteSpace: 'nowrap' }}>{formatChinaTime(n.createdAt)}</Typography.Text>
              <Typography.Text style={{ flex: 1 }}>
                {id ? <Link to="/reports/$id" params={{ id }}>{i18n.language === 'en' ? n.subjectEn : n.subjectZh}</Link> : i18n.language === 'en' ? n.subjectEn : n.subjectZh}
              </Typography.Text>
            </List.Item>
          );
        }}
      />
      {items.length > shown.length || expanded ? (
        <Button type="link" size="small" onClick={() => setExpanded(!expanded)} data-testid="notices-toggle">
          {expanded ? t('reports.fewerNotices') : t('reports.moreNotices', { count: items.length - shown.length })}
        </Button>
      ) : null}
    </Card>
  );
}
