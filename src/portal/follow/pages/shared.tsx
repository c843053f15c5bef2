import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import type { NotificationRow } from '../notices.repository.js';

const times = {
  vi: new Intl.DateTimeFormat('vi-VN', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }),
};

/** 03/08/2024 14:05:09, in Vietnam's time. */
export const dateTime = (d: Date, ctx: PageContext) => `${formatDate(d, ctx.lang)} ${times[ctx.lang].format(d)}`;

export function Notice({ text }: { text: string | null }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}

/** Notifications, the unread ones marked in words (not by colour alone). */
export function NotificationList({ ctx, items }: { ctx: PageContext; items: NotificationRow[] }) {
  const { t, lang } = ctx;
  if (!items.length) return <p>{t('follow.notifications.none')}</p>;
  return (
    <ul class="notifications" data-testid="notifications">
      {items.map((n) => (
        <li class={n.read_at ? 'read' : 'unread'}>
          {!n.read_at && <strong class="badge">{t('follow.notifications.unread')}</strong>}{' '}
          <a href={n.link}>{lang === 'en' ? n.subject_en : n.subject_vi}</a>
          <br />
          <span>{lang === 'en' ? n.text_en : n.text_vi}</span> <small>{dateTime(n.created_at, ctx)}</small>
        </li>
      ))}
    </ul>
  );
}

/** A form that posts to `action` with the given CSRF token and one button. */
export function PostButton({
  action,
  csrf,
  label,
  fields = [],
}: {
  action: string;
  csrf: string | null;
  label: string;
  fields?: [string, string][];
}) {
  return (
    <form method="post" action={action} class="inline-form">
      <input type="hidden" name="_csrf" value={csrf ?? ''} />
      {fields.map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class="secondary">
        {label}
      </button>
    </form>
  );
}
