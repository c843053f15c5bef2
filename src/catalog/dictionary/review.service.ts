import type { Kysely } from 'kysely';
import { DomainError, invalid, notFound, type ErrorDetail } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, requireUser, type Principal, type User } from '../../accounts/principal.js';
import type { DictionaryRepository, FieldContent, VersionRow } from './dictionary.repository.js';
import type { DecisionBody, ImportBody, ProposalBody } from './dictionary.schema.js';
import { changedKeys, contentOf, foldedOf, patched, pick } from './field-content.js';
import { fieldExists, keepsField, proposingAgency, requireKeeper, requireOwnerMove } from './owners.js';
import { fromTableSchemaField } from './table-schema.js';
import { auditFlag } from './field-audit.js';
import { constraintProblems } from './field-constraints.js';

const PROPOSAL = { vi: 'đề xuất', en: 'Proposal' };
const FIELD = { vi: 'trường', en: 'Field' };
const NEW_FIELD_NEEDS = ['label_vi', 'label_en', 'type'] as const;

/**
 * Review of the dictionary: an agency's data officer proposes a new field or a change; the field's keeper (see
 * `owners.ts`) approves or rejects it with a comment, never their own proposal. Only approval writes the field (a
 * new version); a proposal made against a version that has since changed is refused at approval (propose again).
 */
export class DictionaryReview {
  constructor(
    private readonly db: Kysely<any>,
    private readonly repo: DictionaryRepository,
  ) {}

  async propose(p: Principal, b: ProposalBody): Promise<VersionRow> {
    const user = requireUser(p);
    if (!b.id) throw invalid([{ field: 'id', vi: 'Cần mã trường.', en: 'The field id is required.' }]);
    return this.db.transaction().execute(async (trx) => {
      const drafted = await this.draft(this.repo.with(trx), user, b, 'field');
      if ('problems' in drafted) throw invalid(drafted.problems);
      return this.file(trx, p, drafted.version);
    });
  }

  /** Every field of a Table Schema as a proposal, in one transaction: one field wrong and none is written. */
  async importSchema(p: Principal, b: ImportBody): Promise<VersionRow[]> {
    const user = requireUser(p);
    const agency = b.agency_id ?? null;
    return this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const problems: ErrorDetail[] = [];
      const drafts: Omit<VersionRow, 'id' | 'proposed_at' | 'decided_at'>[] = [];
      const seen = new Set<string>();
      for (const [i, raw] of b.schema.fields.entries()) {
        const read = fromTableSchemaField(raw, i, agency);
        if ('problems' in read) {
          problems.push(...read.problems);
          continue;
        }
        if (seen.has(read.body.id)) {
          problems.push({
            field: `fields.${i}.name`,
            vi: `Trường “${read.body.id}” có hai lần trong lược đồ.`,
            en: `Field “${read.body.id}” appears twice in the schema.`,
          });
          continue;
        }
        seen.add(read.body.id);
        const current = await repo.find(read.body.id);
        // an existing field: the import proposes its content, its owner unchanged; the same content is no change
        const body = current ? { ...read.body, agency_id: current.agency_id } : read.body;
        const drafted = await this.draft(repo, user, body, `fields.${i}`, true);
        if ('problems' in drafted) problems.push(...drafted.problems);
        else if (drafted.version.changed.length) drafts.push(drafted.version);
      }
      if (problems.length) throw invalid(problems);
      const filed: VersionRow[] = [];
      for (const d of drafts) filed.push(await this.file(trx, p, d));
      return filed;
    });
  }

  async decide(p: Principal, id: string, d: DecisionBody): Promise<VersionRow> {
    const user = requireUser(p);
    const comment = d.comment?.trim() || null;
    if (d.decision === 'reject' && !comment)
      throw invalid([{ field: 'comment', vi: 'Hãy nêu lý do từ chối.', en: 'Say why the proposal is rejected.' }]);
    return this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const v = await repo.version(id);
      if (!v) throw notFound(PROPOSAL, id);
      requireKeeper(user, v.owner_agency);
      if (v.state !== 'proposed') throw new DomainError('INVALID_STATE', STATE_CLOSED);
      if (v.proposed_by === user.userId) throw new DomainError('FORBIDDEN', OWN_PROPOSAL);
      const audit = { entityType: 'dictionary_field', entityId: v.field_id, agencyId: v.owner_agency };
      if (d.decision === 'reject') {
        const row = await repo.decide(id, { state: 'rejected', version: null, by: user.userId, comment });
        await recordAudit(trx, actorOf(p), { ...audit, action: 'dictionary.reject', after: { proposal: id, comment } });
        return row;
      }
      const current = await repo.find(v.field_id);
      if ((current?.version ?? null) !== v.base_version)
        throw new DomainError('INVALID_STATE', {
          vi: 'Trường đã thay đổi sau khi đề xuất được gửi; hãy đề xuất lại trên phiên bản mới.',
          en: 'The field has changed since this was proposed; propose again on the new version.',
        });
      const folded = foldedOf(v.field_id, v.content);
      const field = current
        ? await repo.updateField(v.field_id, current.version + 1, v.content, folded)
        : await repo.insertField(v.field_id, v.content, folded);
      const row = await repo.decide(id, { state: 'approved', version: field.version, by: user.userId, comment });
      await recordAudit(trx, actorOf(p), {
        ...audit,
        action: 'dictionary.approve',
        before: current ?? null,
        after: { proposal: id, version: field.version, comment, field },
      });
      await auditFlag(trx, p, current ?? null, field);
      return row;
    });
  }

  /** The proposals a user may decide (open, not their own) and their own (newest first). */
  async forUser(p: Principal): Promise<{ toDecide: VersionRow[]; mine: VersionRow[] }> {
    const user = requireUser(p);
    const agencies = [...user.roles].filter(([, r]) => r !== 'viewer').map(([a]) => a);
    const admin = user.isPlatformAdmin && user.via === 'session';
    // a platform administrator (by session) keeps the shared fields and may decide for any agency
    const open = admin ? await this.repo.open('all', true, 500) : await this.repo.open(agencies, false);
    const toDecide = open.filter((v) => v.proposed_by !== user.userId && keepsField(user, v.owner_agency));
    return { toDecide, mine: await this.repo.proposedBy(user.userId) };
  }

  /** A proposal as the repository keeps it, or what is wrong with it (errors under `at`). */
  private async draft(
    repo: DictionaryRepository,
    user: User,
    b: ProposalBody,
    at: string,
    whole = false,
  ): Promise<{ version: Omit<VersionRow, 'id' | 'proposed_at' | 'decided_at'> } | { problems: ErrorDetail[] }> {
    const id = b.id ?? '';
    const current = await repo.find(id);
    const problem = (vi: string, en: string) => ({ problems: [{ field: at, vi, en }] });
    if (!current) {
      const missing = NEW_FIELD_NEEDS.filter((k) => !b[k]);
      if (missing.length)
        return problem(
          `Trường mới “${id}” cần: ${missing.join(', ')}.`,
          `The new field “${id}” needs: ${missing.join(', ')}.`,
        );
      if (await repo.openFor(id))
        return problem(
          `Trường “${id}” đã có một đề xuất đang chờ duyệt.`,
          `Field “${id}” already has an open proposal.`,
        );
    }
    if (current && b.kind === 'new') throw fieldExists(id);
    if (!current && b.kind === 'change') throw notFound(FIELD, id);
    const { id: _id, kind: _kind, ...patch } = b;
    if (current && patch.agency_id !== undefined && patch.agency_id !== current.agency_id)
      requireOwnerMove(user, current.agency_id);
    // a change (or an import of a known field) leaves what it does not send as it is
    const content: FieldContent = current ? patched(current, patch) : contentOf(b as Required<ProposalBody>);
    const wrong = constraintProblems(content, at === 'field' ? '' : at);
    if (wrong.length) return { problems: wrong };
    const changed = changedKeys(current ? pick(current) : null, content);
    if (current && !changed.length && !whole)
      return problem(`Đề xuất không thay đổi gì ở trường “${id}”.`, `The proposal changes nothing in “${id}”.`);
    const owner = current ? current.agency_id : content.agency_id;
    return {
      version: {
        field_id: id,
        version: null,
        base_version: current?.version ?? null,
        state: 'proposed',
        content,
        changed,
        owner_agency: owner,
        proposed_by: user.userId,
        proposed_agency: proposingAgency(user, owner),
        decided_by: null,
        comment: null,
      },
    };
  }

  private async file(trx: Kysely<any>, p: Principal, v: Omit<VersionRow, 'id' | 'proposed_at' | 'decided_at'>) {
    let row: VersionRow;
    try {
      row = await this.repo.with(trx).insertVersion(v);
    } catch (err) {
      // the owning agency named is not one the master data has (its foreign key)
      if ((err as { code?: string }).code === '23503')
        throw invalid([{ field: 'agency_id', vi: 'Không có cơ quan này.', en: 'No such agency.' }]);
      throw err;
    }
    await recordAudit(trx, actorOf(p), {
      action: 'dictionary.propose',
      entityType: 'dictionary_field',
      entityId: v.field_id,
      agencyId: v.owner_agency,
      after: { proposal: row.id, base_version: v.base_version, changed: v.changed, content: v.content },
    });
    return row;
  }
}

const STATE_CLOSED = { vi: 'Đề xuất này đã được quyết định.', en: 'This proposal has already been decided.' };
const OWN_PROPOSAL = {
  vi: 'Người đề xuất không tự duyệt đề xuất của mình; một cán bộ khác của cơ quan sở hữu sẽ duyệt.',
  en: 'A proposal is decided by someone other than its author: another officer of the owning agency.',
};
