import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import type { FollowRow } from '../follow.repository.js';
import type { NotificationRow, WebhookRow } from '../notices.repository.js';
import { searchParams, type SearchQuery } from '../follow.schema.js';
import { Notice, NotificationList, PostButton } from './shared.js';

export interface MyFollowsData {
  follows: (FollowRow & { href: string })[];
  notifications: NotificationRow[];
  unread: number;
  email: boolean;
  hasEmail: boolean;
  hooks: WebhookRow[];
  /** a hook just made: its secret, shown this once */
  created: WebhookRow | null;
  notice: string | null;
  errors: string[];
  url: string;
}

/** Where a follow leads: the data set's, agency's or search's page. */
export const followHref = (f: FollowRow, slug: string | undefined) =>
  f.target_kind === 'search'
    ? `/datasets?${searchParams(f.search as SearchQuery).toString()}`
    : `/${f.target_kind}/${slug ?? f.target}`;

/** `/my/follows`: notifications, what the person follows, e-mail on or off, webhooks. */
export function MyFollowsPage({ ctx, d }: { ctx: PageContext; d: MyFollowsData }) {
  const { t } = ctx;
  const csrf = ctx.publicCsrf;
  return (
    <Layout ctx={ctx} title={t('follow.my.title')}>
      <h1>{t('follow.my.title')}</h1>
      <p>{t('follow.my.intro')}</p>
      <Notice text={d.notice} />
      <section aria-labelledby="notifications-heading">
        <h2 id="notifications-heading">
          {t('follow.notifications.title')}
          {d.unread > 0 && <> ({t('follow.notifications.unreadCount', { count: d.unread })})</>}
        </h2>
        <NotificationList ctx={ctx} items={d.notifications} />
        {d.unread > 0 && (
          <PostButton action="/my/notifications/read" csrf={csrf} label={t('follow.notifications.markRead')} />
        )}
      </section>
      <section aria-labelledby="follows-heading">
        <h2 id="follows-heading">{t('follow.list.title')}</h2>
        {d.follows.length === 0 ? (
          <p>{t('follow.list.none')}</p>
        ) : (
          <div class="table-scroll">
            <table data-testid="follows">
              <thead>
                <tr>
                  <th scope="col">{t('follow.col.what')}</th>
                  <th scope="col">{t('follow.col.kind')}</th>
                  <th scope="col">{t('follow.col.since')}</th>
                  <th scope="col">{t('follow.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                {d.follows.map((f) => (
                  <tr>
                    <td>
                      <a href={f.href}>{f.label}</a>
                    </td>
                    <td>{t(`follow.kind.${f.target_kind}`)}</td>
                    <td>{formatDate(f.created_at, ctx.lang)}</td>
                    <td>
                      <PostButton action={`/my/follows/${f.id}/delete`} csrf={csrf} label={t('follow.unfollow')} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="email-heading">
        <h2 id="email-heading">{t('follow.email.title')}</h2>
        {d.hasEmail ? (
          <form method="post" action="/my/follows/email">
            <input type="hidden" name="_csrf" value={csrf ?? ''} />
            <p>
              <input type="checkbox" id="email-on" name="email" value="on" checked={d.email} />{' '}
              <label for="email-on">{t('follow.email.label')}</label>
            </p>
            <button type="submit">{t('follow.email.save')}</button>
          </form>
        ) : (
          // an e-ID account has no address to send to: the box shows what cannot be, and says why
          <p>
            <input type="checkbox" id="email-on" disabled aria-describedby="email-none" />{' '}
            <label for="email-on">{t('follow.email.label')}</label>
            <br />
            <span id="email-none">{t('follow.email.noAddress')}</span>
          </p>
        )}
      </section>
      <section aria-labelledby="hooks-heading">
        <h2 id="hooks-heading">{t('follow.hooks.title')}</h2>
        <p>{t('follow.hooks.intro')}</p>
        {d.created && (
          <div class="notice" role="status">
            <p>{t('follow.hooks.secret')}</p>
            <p>
              <code data-testid="webhook-secret">{d.created.secret}</code>
            </p>
          </div>
        )}
        {d.hooks.length === 0 ? (
          <p>{t('follow.hooks.none')}</p>
        ) : (
          <ul data-testid="webhooks">
            {d.hooks.map((h) => (
              <li>
                <code class="break">{h.url}</code> <a href={`/my/webhooks/${h.id}`}>{t('follow.hooks.log')}</a>{' '}
                <PostButton action={`/my/webhooks/${h.id}/delete`} csrf={csrf} label={t('follow.hooks.delete')} />
              </li>
            ))}
          </ul>
        )}
        {d.errors.length > 0 && (
          <div class="error-summary" role="alert" tabindex={-1}>
            <ul>
              {d.errors.map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          </div>
        )}
        <form method="post" action="/my/webhooks">
          <input type="hidden" name="_csrf" value={csrf ?? ''} />
          <p>
            <label for="hook-url">{t('follow.hooks.url')}</label>
            <br />
            <input type="url" id="hook-url" name="url" value={d.url} required maxLength={2000} />
          </p>
          <button type="submit">{t('follow.hooks.add')}</button>
        </form>
      </section>
    </Layout>
  );
}
