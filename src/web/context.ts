import type { Lang, T } from './i18n.js';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  lang: Lang;
  t: T;
  user: { name: string; email: string } | null;
  csrf: string | null;
  /** a citizen (e-ID, level 1 or 2) or reuser (e-mail, level 0) signed in to the portal: identity/ */
  publicUser: { name: string; kind: 'citizen' | 'reuser'; level: number } | null;
  publicCsrf: string | null;
  /** the path and query of this page, for the language switch */
  path: string;
  query: URLSearchParams;
  baseUrl: string;
}

/** A link to this page in the other language. */
export function switchLanguageHref(ctx: PageContext): string {
  const q = new URLSearchParams(ctx.query);
  q.set('lang', ctx.lang === 'vi' ? 'en' : 'vi');
  return `${ctx.path}?${q.toString()}`;
}
