import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import type { AttemptRow, DeliveryRow, WebhookRow } from '../notices.repository.js';
import { dateTime } from './shared.js';

/** `/my/webhooks/{id}`: a hook's deliveries and each attempt (time, response status or error). */
export function WebhookLogPage({
  ctx,
  hook,
  deliveries,
}: {
  ctx: PageContext;
  hook: WebhookRow;
  deliveries: { delivery: DeliveryRow & { kind: string }; attempts: AttemptRow[] }[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('follow.log.title')}>
      <h1>{t('follow.log.title')}</h1>
      <p>
        <code class="break">{hook.url}</code>
      </p>
      <p>
        <a href="/my/follows">{t('follow.log.back')}</a>
      </p>
      {deliveries.length === 0 ? (
        <p>{t('follow.log.none')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="deliveries">
            <thead>
              <tr>
                <th scope="col">{t('follow.log.when')}</th>
                <th scope="col">{t('follow.log.kind')}</th>
                <th scope="col">{t('follow.log.status')}</th>
                <th scope="col">{t('follow.log.attempts')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map(({ delivery: d, attempts }) => (
                <tr>
                  <td>{dateTime(d.created_at, ctx)}</td>
                  <td>
                    <code>{d.kind}</code>
                  </td>
                  <td>{t(`follow.log.status.${d.status}`)}</td>
                  <td>
                    <ul>
                      {attempts.map((a) => (
                        <li>
                          {dateTime(a.at, ctx)}: {a.response_code ?? ''} {a.ok ? '✓' : (a.error ?? '')}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
