import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { requirePublicUser, type PublicUser } from '../../identity/public-principal.js';
import { NoticesRepository, type WebhookRow } from './notices.repository.js';
import { newSecret, refusedAddress } from './webhook-signing.js';

export const MAX_WEBHOOKS = 5;
const NOBODY = { userId: null, tokenId: null };

/** A person's webhooks: each receives, signed, everything the person is told. */
export class WebhooksService {
  private readonly repo: NoticesRepository;
  constructor(
    private readonly db: Kysely<any>,
    private readonly allowPrivate: boolean,
  ) {
    this.repo = new NoticesRepository(db);
  }

  /** Registers a hook; the secret is in the answer, and is never shown again. */
  async create(u: PublicUser | null, url: string): Promise<WebhookRow> {
    const user = requirePublicUser(u);
    const refused = await refusedAddress(url, this.allowPrivate);
    if (refused)
      throw new DomainError(
        'VALIDATION_FAILED',
        {
          vi: 'Địa chỉ webhook không được chấp nhận: chỉ https, tới một địa chỉ công khai.',
          en: 'The webhook address is refused: https only, to a public address.',
        },
        [{ field: 'url', vi: `Lý do: ${refused}`, en: `Why: ${refused}` }],
      );
    if ((await this.repo.webhooksOf([user.userId])).length >= MAX_WEBHOOKS)
      throw new DomainError('INVALID_STATE', {
        vi: `Mỗi người có tối đa ${MAX_WEBHOOKS} webhook.`,
        en: `At most ${MAX_WEBHOOKS} webhooks a person.`,
      });
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo
        .with(trx)
        .insertWebhook({ id: randomUUID(), public_user_id: user.userId, url, secret: newSecret() });
      await recordAudit(trx, NOBODY, {
        action: 'webhook.create',
        entityType: 'webhook',
        entityId: row.id,
        after: { publicUser: user.userId, url },
      });
      return row;
    });
  }

  mine(u: PublicUser | null): Promise<WebhookRow[]> {
    return this.repo.webhooksOf([requirePublicUser(u).userId]);
  }

  async remove(u: PublicUser | null, id: string): Promise<void> {
    const user = requirePublicUser(u);
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.with(trx).removeWebhook(user.userId, id))) throw new DomainError('NOT_FOUND');
      await recordAudit(trx, NOBODY, {
        action: 'webhook.delete',
        entityType: 'webhook',
        entityId: id,
        before: { publicUser: user.userId },
      });
    });
  }

  /** A hook of the person's, with its newest deliveries and their attempts. */
  async log(u: PublicUser | null, id: string) {
    const user = requirePublicUser(u);
    const hook = await this.repo.webhook(id);
    if (!hook || hook.public_user_id !== user.userId) throw new DomainError('NOT_FOUND');
    return { hook, deliveries: await this.repo.webhookLog(id, 50) };
  }
}
