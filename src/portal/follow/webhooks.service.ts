import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { NoticesRepository, type Recipient, type WebhookRow } from './notices.repository.js';
import { newSecret, refusedAddress } from './webhook-signing.js';

export const MAX_WEBHOOKS = 5;

/**
 * Webhooks of a public user or a staff member (the routes resolve who, from their guard): each receives, signed,
 * everything its owner is told.
 */
export class WebhooksService {
  private readonly repo: NoticesRepository;
  constructor(
    private readonly db: Kysely<any>,
    private readonly allowPrivate: boolean,
  ) {
    this.repo = new NoticesRepository(db);
  }

  private owned = (owner: Recipient) =>
    'publicUserId' in owner
      ? this.repo.webhooksOf([owner.publicUserId])
      : this.repo.webhooksOf([owner.staffUserId], true);

  /** Registers a hook; the secret is in the answer, and is never shown again. */
  async create(owner: Recipient, url: string): Promise<WebhookRow> {
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
    if ((await this.owned(owner)).length >= MAX_WEBHOOKS)
      throw new DomainError('INVALID_STATE', {
        vi: `Mỗi người có tối đa ${MAX_WEBHOOKS} webhook.`,
        en: `At most ${MAX_WEBHOOKS} webhooks a person.`,
      });
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo.with(trx).insertWebhook({
        id: randomUUID(),
        public_user_id: 'publicUserId' in owner ? owner.publicUserId : null,
        staff_user_id: 'staffUserId' in owner ? owner.staffUserId : null,
        url,
        secret: newSecret(),
      });
      await recordAudit(trx, actor(owner), {
        action: 'webhook.create',
        entityType: 'webhook',
        entityId: row.id,
        after: { ...owner, url },
      });
      return row;
    });
  }

  mine(owner: Recipient): Promise<WebhookRow[]> {
    return this.owned(owner);
  }

  async remove(owner: Recipient, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.with(trx).removeWebhook(owner, id))) throw new DomainError('NOT_FOUND');
      await recordAudit(trx, actor(owner), {
        action: 'webhook.delete',
        entityType: 'webhook',
        entityId: id,
        before: owner,
      });
    });
  }

  /** A hook of the owner's, with its newest deliveries and their attempts. */
  async log(owner: Recipient, id: string) {
    const hook = await this.repo.webhook(id);
    const mine =
      hook &&
      ('publicUserId' in owner ? hook.public_user_id === owner.publicUserId : hook.staff_user_id === owner.staffUserId);
    if (!mine) throw new DomainError('NOT_FOUND');
    return { hook, deliveries: await this.repo.webhookLog(id, 50) };
  }
}

/** A public user's act has no staff actor (the person is in the record); a staff member's is theirs. */
const actor = (owner: Recipient) => ({
  userId: 'staffUserId' in owner ? owner.staffUserId : null,
  tokenId: null,
});
