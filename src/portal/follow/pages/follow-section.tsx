import type { DatasetSection } from '../../../web/dataset-sections.js';
import { FeedLink, FollowButton, hereOf } from '../../../web/follow-button.js';
import type { FollowService } from '../follow.service.js';
import { PostButton } from './shared.js';

/** The data set page's follow button (or, to a follower, that they follow it and a way to stop) and its feed. */
export function followSection(follows: FollowService): DatasetSection {
  return async ({ req, ctx, view }) => {
    const d = view.dataset;
    if (d.status !== 'published') return null;
    const { t } = ctx;
    const mine = await follows.findFollow(req.publicUser, 'dataset', d.id);
    return {
      aside: (
        <section class="follow" aria-label={t('follow.manage')} data-testid="follow">
          {mine ? (
            <>
              <p>{t('follow.following')}</p>
              <PostButton
                action={`/my/follows/${mine.id}/delete`}
                csrf={ctx.publicCsrf}
                label={t('follow.unfollow')}
                fields={[['next', hereOf(ctx)]]}
              />{' '}
              <a href="/my/follows">{t('follow.manage')}</a>
            </>
          ) : (
            <FollowButton
              ctx={ctx}
              fields={[
                ['kind', 'dataset'],
                ['dataset', d.slug],
              ]}
              label={t('follow.dataset.button')}
            />
          )}
          <p>
            <FeedLink ctx={ctx} href={`/dataset/${d.slug}/feed.atom`} />
          </p>
        </section>
      ),
    };
  };
}
