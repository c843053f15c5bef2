import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import type { NotificationRow } from '../notices.repository.js';
import { Notice, NotificationList, PostButton } from './shared.js';

/** `/dashboard/notifications`: what the portal told a staff member's agencies. */
export function StaffNotificationsPage({
  ctx,
  items,
  unread,
  notice,
}: {
  ctx: PageContext;
  items: NotificationRow[];
  unread: number;
  notice: string | null;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('follow.staff.title')}>
      <h1>{t('follow.staff.title')}</h1>
      <p>{t('follow.staff.intro')}</p>
      <Notice text={notice} />
      <NotificationList ctx={ctx} items={items} />
      {unread > 0 && (
        <PostButton action="/dashboard/notifications/read" csrf={ctx.csrf} label={t('follow.notifications.markRead')} />
      )}
    </Layout>
  );
}
