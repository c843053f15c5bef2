import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from './context.js';
import { translator, type Lang } from './i18n.js';

export const LANG_COOKIE = 'ndp_lang';

/**
 * Language: `?lang=` (remembered in a cookie), else the cookie, else
 * Vietnamese — the portal is Vietnamese first whatever the browser's own
 * language, with English one click away.
 */
export function pageContext(req: FastifyRequest, reply: FastifyReply, baseUrl: string): PageContext {
  const url = new URL(req.url, 'http://x');
  const asked = url.searchParams.get('lang');
  let lang: Lang = 'vi';
  if (asked === 'vi' || asked === 'en') {
    lang = asked;
    reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400 });
  } else if (req.cookies[LANG_COOKIE] === 'en' || req.cookies[LANG_COOKIE] === 'vi') {
    lang = req.cookies[LANG_COOKIE] as Lang;
  }
  url.searchParams.delete('lang');
  // null when the request failed before the sign-in hooks ran (an unreadable body): drawn as signed out
  const p = req.principal as typeof req.principal | null;
  return {
    lang,
    t: translator(lang),
    user: p?.kind === 'user' && p.via === 'session' ? { name: p.name, email: p.email } : null,
    csrf: req.csrfToken,
    publicUser: req.publicUser
      ? { name: req.publicUser.name, kind: req.publicUser.kind, level: req.publicUser.level }
      : null,
    publicCsrf: req.publicCsrf ?? null,
    path: url.pathname,
    query: url.searchParams,
    baseUrl,
  };
}

/** Security headers of every HTML page: scripts and styles from our own origin only, no inline script. */
export function htmlHeaders(reply: FastifyReply): FastifyReply {
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-cache');
  return reply
    .type('text/html; charset=utf-8')
    .header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
}
