import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';

/** 404 and 500 say what happened in plain words; other refusals show the error's own message. */
export function ErrorPage({ ctx, status, message }: { ctx: PageContext; status: number; message: string }) {
  const { t } = ctx;
  const title = status === 404 ? t('error.404.title') : status >= 500 ? t('error.500.title') : t('error.other.title');
  const body = status === 404 ? t('error.404.body') : status >= 500 ? t('error.500.body') : message;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <a href="/">{t('error.back')}</a>
      </p>
    </Layout>
  );
}
