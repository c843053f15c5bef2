import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import { switchLanguageHref, type PageContext } from './context.js';

interface LayoutProps {
  ctx: PageContext;
  title: string;
  description?: string;
  head?: ComponentChildren;
  children: ComponentChildren;
}

export function Layout({ ctx, title, description, head, children }: LayoutProps) {
  const { t } = ctx;
  const other = ctx.lang === 'vi' ? 'en' : 'vi';
  return (
    <html
      lang={ctx.lang}
      data-copy={t('js.copy')}
      data-copied={t('js.copied')}
      data-required={t('js.required')}
      data-email={t('js.email')}
    >
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${t('site.name')}`}</title>
        <meta name="description" content={description ?? t('site.tagline')} />
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="alternate" hreflang={other} href={switchLanguageHref(ctx)} />
        <script src="/assets/site.js" defer />
        {head}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <div class="container header-row">
            <a class="brand" href="/">
              {t('site.name')}
            </a>
            <div class="header-tools">
              <a href={switchLanguageHref(ctx)} lang={other} hreflang={other} aria-label={t('lang.switchLabel')}>
                {t('lang.switch')}
              </a>
              {ctx.publicUser ? (
                <form method="post" action="/auth/signout" class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
                  <a href="/account">{ctx.publicUser.name}</a>{' '}
                  <button type="submit" class="link-button">
                    {t('nav.signout')}
                  </button>
                </form>
              ) : (
                !ctx.user && (
                  <a href="/auth" class="eid-signin">
                    {t('nav.eid')}
                  </a>
                )
              )}
              {ctx.user ? (
                <form method="post" action="/signout" class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
                  <a href="/dashboard">{ctx.user.name}</a>{' '}
                  <button type="submit" class="link-button">
                    {t('nav.signout')}
                  </button>
                </form>
              ) : (
                !ctx.publicUser && <a href="/signin">{t('nav.staff')}</a>
              )}
            </div>
          </div>
          <nav aria-label={t('nav.main')} class="container main-nav">
            {/* a button on phones (no script: the summary opens it); always open on wider screens, by CSS */}
            <details class="collapse-narrow">
              <summary>{t('nav.menu')}</summary>
              <ul>
                <li>
                  <a href="/datasets">{t('nav.datasets')}</a>
                </li>
                <li>
                  <a href="/services">{t('nav.services')}</a>
                </li>
                <li>
                  <a href="/reuses">{t('nav.reuses')}</a>
                </li>
                <li>
                  <a href="/data-requests">{t('nav.dataRequests')}</a>
                </li>
                <li>
                  <a href="/agencies">{t('nav.agencies')}</a>
                </li>
                <li>
                  <a href="/databases">{t('nav.databases')}</a>
                </li>
                <li>
                  <a href="/dictionary">{t('nav.dictionary')}</a>
                </li>
                <li>
                  <a href="/units">{t('nav.units')}</a>
                </li>
                <li>
                  <a href="/api/docs">{t('nav.api')}</a>
                </li>
              </ul>
            </details>
          </nav>
        </header>
        <main id="main" class="container" tabindex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">
            <p>{t('footer.licence')}</p>
            <p>
              <a href="/api/docs">{t('footer.api')}</a> · <a href="/catalog.ttl">{t('footer.catalog')}</a> ·{' '}
              <a href="/overdue">{t('nav.overdue')}</a> · <a href="/quality">{t('nav.quality')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** Renders a page to a complete HTML document. Preact escapes every text and attribute value. */
export function page(node: preact.VNode): string {
  return `<!doctype html>${render(node)}`;
}
