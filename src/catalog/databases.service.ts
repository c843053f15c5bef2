import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { notFound } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { actorOf, requireAgencyRole, type Principal } from '../accounts/principal.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { DatabasesRepository, type DatabaseRegisterRow } from './databases.repository.js';
import type { DatabaseBody, DatabasePatch } from './catalog.schema.js';

const REGISTER = { vi: 'cơ sở dữ liệu', en: 'Database' };

/** The register of databases each agency must publish (Decision 1437/QĐ-TTg II.2.a); it is public. */
export class DatabasesService {
  readonly repo: DatabasesRepository;
  constructor(
    private readonly db: Kysely<any>,
    private readonly masterData: MasterDataService,
  ) {
    this.repo = new DatabasesRepository(db);
  }

  async get(id: string): Promise<DatabaseRegisterRow> {
    const row = await this.repo.find(id);
    if (!row) throw notFound(REGISTER, id);
    return row;
  }

  async list(f: { agency?: string; limit: number; offset: number }) {
    const agencyId = f.agency ? (await this.masterData.agency(f.agency)).id : undefined;
    return this.repo.list({ agencyId, limit: f.limit, offset: f.offset });
  }

  async create(p: Principal, b: DatabaseBody): Promise<DatabaseRegisterRow> {
    const user = requireAgencyRole(p, b.agency_id, 'agency_editor');
    await this.masterData.agency(b.agency_id);
    return this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const row = await repo.insert({ id: randomUUID(), ...b, name_en: b.name_en ?? null });
      await repo.addHistory(row, user.userId);
      await recordAudit(trx, actorOf(p), {
        action: 'database.create',
        entityType: 'database',
        entityId: row.id,
        agencyId: row.agency_id,
        after: row,
      });
      return row;
    });
  }

  async update(p: Principal, id: string, patch: DatabasePatch): Promise<DatabaseRegisterRow> {
    const before = await this.get(id);
    const user = requireAgencyRole(p, before.agency_id, 'agency_editor');
    return this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const row = await repo.update(id, before.version, patch);
      await repo.addHistory(row, user.userId);
      await recordAudit(trx, actorOf(p), {
        action: 'database.update',
        entityType: 'database',
        entityId: id,
        agencyId: row.agency_id,
        before,
        after: row,
      });
      return row;
    });
  }

  async history(id: string) {
    await this.get(id);
    return this.repo.history(id);
  }

  async datasets(id: string) {
    await this.get(id);
    return this.repo.datasets(id);
  }
}
