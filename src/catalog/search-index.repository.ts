import { sql, type Kysely } from 'kysely';

/** A published data set as the in-memory search index holds it: its words, rank words, facets and sort keys. */
export interface IndexRow {
  id: string;
  status: string;
  modified: Date;
  created_at: Date;
  issued: Date | null;
  facet_ids: number[];
  /** every word it is found by: metadata and the values of its tables (search_vector || data_vector) */
  words: string[];
  /** the words that rank it: title (weight A) and keywords (weight B) of rank_vector */
  title_words: string[] | null;
  keyword_words: string[] | null;
  /** its tables' values are searchable (a result may need to say in which column it matched) */
  has_values: boolean;
}

const COLUMNS = sql`id::text as id, status, modified, created_at, issued, facet_ids,
  tsvector_to_array(search_vector || data_vector) as words, data_vector <> ''::tsvector as has_values,
  (select array_agg(u.lexeme) from unnest(rank_vector) u where 'A' = any(u.weights)) as title_words,
  (select array_agg(u.lexeme) from unnest(rank_vector) u where 'B' = any(u.weights) and not 'A' = any(u.weights)) as keyword_words`;

/** The SQL of the search index (catalog/search-index.ts), private to it and to the search service. */
export class SearchIndexRepository {
  constructor(private readonly db: Kysely<any>) {}

  /** Published data sets after `afterId`, in id order: the index loads the catalog a batch at a time. */
  async published(afterId: string | null, limit: number): Promise<IndexRow[]> {
    const r = await sql<IndexRow>`select ${COLUMNS} from datasets
      where status = 'published' ${afterId ? sql`and id > ${afterId}::uuid` : sql``}
      order by id limit ${limit}`.execute(this.db);
    return r.rows;
  }

  /** The data sets of a notice, whatever their status (one no longer published leaves the index). */
  async byIds(ids: string[]): Promise<IndexRow[]> {
    const r = await sql<IndexRow>`select ${COLUMNS} from datasets where id = any(${ids}::uuid[])`.execute(this.db);
    return r.rows;
  }

  async facetValues(afterId: number): Promise<{ id: number; key: string }[]> {
    const r = await sql<{
      id: number;
      key: string;
    }>`select id, key from facet_values where id > ${afterId} order by id`.execute(this.db);
    return r.rows;
  }

  /** A notice of our own on the channel: when it comes back, every notice committed before it has come. */
  async barrier(channel: string, nonce: string): Promise<void> {
    await sql`select pg_notify(${channel}, ${nonce})`.execute(this.db);
  }
}
