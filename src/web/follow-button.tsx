import type { PageContext } from './context.js';

/** This page's path and query, for a form or a sign-in that returns here. */
export const hereOf = (ctx: PageContext) => {
  const q = ctx.query.toString();
  return q ? `${ctx.path}?${q}` : ctx.path;
};

/**
 * A follow button (the portal's follow part takes the post at `/my/follows`): a form with the public session's
 * CSRF token, or, to a stranger, a link to sign in that comes back here. `fields` name what is followed.
 */
export function FollowButton({ ctx, fields, label }: { ctx: PageContext; fields: [string, string][]; label: string }) {
  const here = hereOf(ctx);
  if (!ctx.publicUser)
    return (
      <p class="follow">
        <a href={`/auth?next=${encodeURIComponent(here)}`}>{ctx.t('follow.signInToFollow')}</a>
      </p>
    );
  return (
    <form method="post" action="/my/follows" class="inline-form follow">
      <input type="hidden" name="_csrf" value={ctx.publicCsrf ?? ''} />
      {fields.map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <input type="hidden" name="next" value={here} />
      <button type="submit" class="secondary">
        {label}
      </button>
    </form>
  );
}

/** The page's Atom feed, for feed readers (in the head) and people (a link). */
export const FeedHead = ({ href, title }: { href: string; title: string }) => (
  <link rel="alternate" type="application/atom+xml" href={href} title={title} />
);
export const FeedLink = ({ ctx, href }: { ctx: PageContext; href: string }) => (
  <a href={href} class="feed-link" type="application/atom+xml">
    {ctx.t('follow.feed')}
  </a>
);
