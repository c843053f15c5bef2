import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { TableRow } from '../../datastore/query/datastore.service.js';
import type { LoadedColumn } from '../../datastore/load/loader.js';

/**
 * Personal data in a table, found by what the values look like (one pass over
 * the table for every column and kind) and by what the columns are called.
 */
export type PiiKind =
  | 'cccd'
  | 'personal_tax_code'
  | 'phone'
  | 'email'
  | 'address'
  | 'name_with_birth_date'
  /** a column mapped to a dictionary field flagged as basic / sensitive personal data (Decree 356 Art. 3 / 4) */
  | 'personal_data'
  | 'sensitive_personal_data';

const compact = (c: LoadedColumn) => sql`regexp_replace(cast(${sql.ref(c.id)} as text), '[\\s.-]', '', 'g')`;
/** A column read as numbers has lost its leading zero: CCCDs and phone numbers start with one. */
const withZero = (c: LoadedColumn) =>
  c.type === 'integer' ? sql`('0' || cast(${sql.ref(c.id)} as text))` : compact(c);
const VALUE_KINDS: {
  kind: Exclude<PiiKind, 'name_with_birth_date' | 'personal_data' | 'sensitive_personal_data'>;
  match: (c: LoadedColumn) => RawBuilder<unknown>;
  named?: RegExp;
}[] = [
  // individuals' tax codes begin with 8; organisations' with a province code
  { kind: 'personal_tax_code', match: (c) => sql`${compact(c)} ~ '^8[0-9]{9}$'` },
  {
    kind: 'cccd',
    match: (c) =>
      c.type === 'integer'
        ? sql`lpad(cast(${sql.ref(c.id)} as text), 12, '0') ~ '^0[0-9]{11}$' and ${sql.ref(c.id)} >= 1000000000`
        : sql`${compact(c)} ~ '^0[0-9]{11}$'`,
  },
  { kind: 'phone', match: (c) => sql`${withZero(c)} ~ '^(\\+84|84|0)([35789][0-9]{8}|2[0-9]{9})$'` },
  {
    kind: 'email',
    match: (c) => sql`cast(${sql.ref(c.id)} as text) ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$'`,
  },
  // a house number, then a street: “12 Lý Thường Kiệt”, “số 5 ngõ 3 phố Huế”, “45/2 Nguyễn Trãi”
  {
    kind: 'address',
    match: (c) => sql`cast(${sql.ref(c.id)} as text) ~* '^(số\\s*)?[0-9]+[a-z]?(/[0-9]+[a-z]?)*\\s+[^0-9[:space:]]'`,
    named: /(^|_)(dia_chi|address|noi_o|thuong_tru|tam_tru|cho_o)($|_)/,
  },
];
const NAME = /(^|_)(ho_ten|ho_va_ten|full_?name|ten_cong_dan|ten_nguoi)($|_)/;
const BIRTH = /(^|_)(ngay_sinh|ngay_thang_nam_sinh|dob|birth_?date|nam_sinh)($|_)/;
/** Share of a column's values that must look personal for a hit: enough to be a column of them, not a stray value. */
export const PII_SHARE = 0.1;

export interface PiiHit {
  column: string;
  kind: PiiKind;
  values: number;
  of: number;
  /** for a hit by the dictionary: the field the column is mapped to, and its category */
  field?: string;
  category?: string;
}

export class PiiRepository {
  constructor(private readonly db: Kysely<any>) {}

  async scan(table: TableRow): Promise<PiiHit[]> {
    // a column already de-identified is no hit, whatever it is called
    const open = table.columns.filter((c) => !c.deidentified);
    const cols = open.filter((c) => c.type === 'text' || c.type === 'integer');
    const probes = cols.flatMap((c) =>
      VALUE_KINDS.filter((k) => !k.named || k.named.test(c.id)).map((k) => ({
        column: c,
        kind: k.kind,
        match: k.match(c),
      })),
    );
    const hits: PiiHit[] = [];
    if (probes.length) {
      const parts = [
        ...cols.map((c, i) => sql`count(${sql.ref(c.id)})::bigint as ${sql.ref(`n${i}`)}`),
        ...probes.map((p, i) => sql`count(*) filter (where ${p.match})::bigint as ${sql.ref(`p${i}`)}`),
      ];
      const row = (
        await sql<
          Record<string, unknown>
        >`select ${sql.join(parts)} from ${sql.table(`datastore.${table.table_name}`)}`.execute(this.db)
      ).rows[0]!;
      for (const [i, p] of probes.entries()) {
        const values = Number(row[`p${i}`]);
        const of = Number(row[`n${cols.indexOf(p.column)}`]);
        // one kind per column, the first in the list's order: a number read without its zero can look like two
        if (values > 0 && values >= Math.max(1, PII_SHARE * of) && !hits.some((h) => h.column === p.column.id))
          hits.push({ column: p.column.id, kind: p.kind, values, of });
      }
    }
    const name = open.find((c) => NAME.test(c.id));
    const birth = open.find((c) => BIRTH.test(c.id));
    if (name && birth)
      hits.push({
        column: name.id,
        kind: 'name_with_birth_date',
        values: Number(table.row_count),
        of: Number(table.row_count),
      });
    return hits;
  }

  /**
   * A copy of a table version with some columns dropped or de-identified:
   * masked (all but the last 4 characters), hashed with a key used once and
   * forgotten (equal values stay equal within the copy, and nothing links
   * them back), dates cut to the year, addresses without the house number.
   */
  async deidentify(
    source: TableRow,
    target: string,
    keep: { column: LoadedColumn; method: 'keep' | 'mask' | 'hash' | 'year' | 'address'; id: string }[],
  ): Promise<number> {
    const key = randomBytes(32).toString('base64');
    const select = keep.map(({ column, method, id }) => {
      const c = sql.ref(column.id);
      const as = sql.ref(id);
      switch (method) {
        case 'mask':
          return sql`case when ${c} is null then null else repeat('*', greatest(char_length(cast(${c} as text)) - 4, 0)) || right(cast(${c} as text), 4) end as ${as}`;
        case 'hash':
          return sql`case when ${c} is null then null else encode(sha256(convert_to(${key} || cast(${c} as text), 'UTF8')), 'hex') end as ${as}`;
        case 'year':
          return sql`cast(extract(year from ${c}) as bigint) as ${as}`;
        case 'address':
          return sql`regexp_replace(cast(${c} as text), '^[[:space:]]*(số[[:space:]]*)?[0-9]+[a-zA-Z]?(/[0-9]+[a-zA-Z]?)*[[:space:]]*,?[[:space:]]*', '', 'i') as ${as}`;
        default:
          return sql`${c} as ${as}`;
      }
    });
    await sql`create table ${sql.table(`datastore.${target}`)} as select _row, ${sql.join(select)} from ${sql.table(`datastore.${source.table_name}`)} order by _row`.execute(
      this.db,
    );
    const r = await sql<{ n: number }>`select count(*)::bigint as n from ${sql.table(`datastore.${target}`)}`.execute(
      this.db,
    );
    return Number(r.rows[0]!.n);
  }

  async signoffs(
    tableId: string,
  ): Promise<{ columns: string[]; reason: string; signed_by: string | null; signed_at: Date }[]> {
    return this.db
      .selectFrom('privacy_signoffs')
      .select(['columns', 'reason', 'signed_by', 'signed_at'])
      .where('table_id', '=', tableId)
      .orderBy('signed_at')
      .execute() as never;
  }

  async signOff(
    distributionId: string,
    tableId: string,
    columns: string[],
    reason: string,
    userId: string | null,
  ): Promise<string> {
    const id = randomUUID();
    await this.db
      .insertInto('privacy_signoffs')
      .values({
        id,
        distribution_id: distributionId,
        table_id: tableId,
        columns: JSON.stringify(columns),
        reason,
        signed_by: userId,
      })
      .execute();
    return id;
  }
}
