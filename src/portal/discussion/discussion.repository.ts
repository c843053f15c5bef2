import { sql, type Kysely } from 'kysely';

export interface QuestionRow {
  id: string;
  dataset_id: string;
  agency_id: string;
  title: string;
  body: string;
  public_user_id: string;
  asker_name: string;
  asked_at: Date;
  answer_due: Date;
  answered_at: Date | null;
}

export interface AnswerRow {
  id: string;
  question_id: string;
  body: string;
  user_id: string;
  author_name: string;
  answered_at: Date;
}

/** One agency's questions in a period: asked, answered, answered by the deadline, open past it. */
export interface AgencyCounts {
  agencyId: string;
  asked: number;
  answered: number;
  answeredInTime: number;
  overdue: number;
}

/** Questions on data sets and their answers; the only SQL of the discussion service. */
export class DiscussionRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insertQuestion(trx: Kysely<any>, row: Omit<QuestionRow, 'answered_at'>) {
    await trx.insertInto('dataset_questions').values(row).execute();
  }

  async insertAnswer(trx: Kysely<any>, row: AnswerRow) {
    await trx.insertInto('dataset_answers').values(row).execute();
  }

  /** The first answer is what the deadline is measured by; later ones change nothing. */
  async markAnswered(trx: Kysely<any>, id: string, at: Date) {
    await trx
      .updateTable('dataset_questions')
      .set({ answered_at: at })
      .where('id', '=', id)
      .where('answered_at', 'is', null)
      .execute();
  }

  async question(id: string): Promise<QuestionRow | undefined> {
    return this.db.selectFrom('dataset_questions').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      QuestionRow | undefined
    >;
  }

  async answers(questionId: string): Promise<AnswerRow[]> {
    return this.db
      .selectFrom('dataset_answers')
      .selectAll()
      .where('question_id', '=', questionId)
      .orderBy('answered_at')
      .orderBy('id')
      .limit(200)
      .execute() as Promise<AnswerRow[]>;
  }

  /** A data set's questions, newest first, and how many there are. */
  async ofDataset(datasetId: string, limit: number, offset: number) {
    const q = this.db.selectFrom('dataset_questions').where('dataset_id', '=', datasetId);
    const rows = (await q
      .selectAll()
      .orderBy('asked_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute()) as QuestionRow[];
    const n = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return { rows, total: Number(n.n) };
  }

  /** Questions of these agencies not yet answered, the soonest due first. */
  async open(agencyIds: string[], limit: number): Promise<QuestionRow[]> {
    if (!agencyIds.length) return [];
    return this.db
      .selectFrom('dataset_questions')
      .selectAll()
      .where('agency_id', 'in', agencyIds)
      .where('answered_at', 'is', null)
      .orderBy('answer_due')
      .orderBy('id')
      .limit(limit)
      .execute() as Promise<QuestionRow[]>;
  }

  async askedSince(publicUserId: string, since: Date): Promise<number> {
    const r = await this.db
      .selectFrom('dataset_questions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('public_user_id', '=', publicUserId)
      .where('asked_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Counts per agency of the questions asked in [from, to); `now` decides which open ones are overdue. */
  async counts(f: { agencyIds?: string[]; from?: Date; to?: Date }, now: Date): Promise<AgencyCounts[]> {
    let q = this.db.selectFrom('dataset_questions');
    if (f.agencyIds) {
      if (!f.agencyIds.length) return [];
      q = q.where('agency_id', 'in', f.agencyIds);
    }
    if (f.from) q = q.where('asked_at', '>=', f.from);
    if (f.to) q = q.where('asked_at', '<', f.to);
    const rows = await q
      .select([
        'agency_id',
        sql<string>`count(*)`.as('asked'),
        sql<string>`count(*) filter (where answered_at is not null)`.as('answered'),
        sql<string>`count(*) filter (where answered_at <= answer_due)`.as('in_time'),
        sql<string>`count(*) filter (where answered_at is null and answer_due < ${now})`.as('overdue'),
      ])
      .groupBy('agency_id')
      .orderBy('agency_id')
      .execute();
    return rows.map((r) => ({
      agencyId: r.agency_id as string,
      asked: Number(r.asked),
      answered: Number(r.answered),
      answeredInTime: Number(r.in_time),
      overdue: Number(r.overdue),
    }));
  }
}
