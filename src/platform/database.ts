import fs from 'node:fs';
import { lockDataDir } from './data-dir-lock.js';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Kysely, PostgresDialect } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

/**
 * One database layer for both stores: PGlite is reached through its
 * node-postgres shim, so Kysely's PostgresDialect and every repository work
 * unchanged on the embedded database and on a PostgreSQL server.
 */
export type Driver = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<any>;
  /**
   * For strangers' queries (the SQL and table APIs): on PostgreSQL a pool of its own, small, so they can never take
   * the connections pages and writes need; on PGlite, which has one connection, the same as `db` (a `QueryGate`
   * in front bounds how many wait for it).
   */
  queryDb: Kysely<any>;
  driver: Driver;
  /**
   * Bulk-loads text in PostgreSQL's COPY text format (tab-separated, `\N` for
   * null) into a table, chunk by chunk, inside one transaction of its own.
   * PostgreSQL streams it through COPY FROM STDIN; PGlite, whose wire shim
   * cannot carry COPY, reads each chunk as a blob. Returns the rows loaded.
   * With `csv`, the chunks are CSV records with that delimiter instead (each
   * chunk ending at a record's end), parsed by the database itself, after
   * the `prelude` statements (fixed `set local` settings) in the same transaction.
   */
  copyIn(table: string, columns: string[], chunks: AsyncIterable<string | Buffer>, csv?: CsvCopy): Promise<number>;
  /** The embedded engine itself, on PGlite only: for benchmarks that compare with its own COPY. */
  pglite?: PGlite;
  /** The connection pool's state, for /metrics: connections open, idle, and queries waiting for one. */
  poolStats(): { total: number; idle: number; waiting: number };
  /** The query pool's state (on PGlite the one connection's, as poolStats). */
  queryPoolStats(): { total: number; idle: number; waiting: number };
  /**
   * Calls `onNotify` on each NOTIFY on `channel`, from any process sharing the database (PostgreSQL: one dedicated
   * connection, opened again if the server drops it; PGlite: the engine's own). Returns the way to stop listening.
   */
  listen(channel: string, onNotify: (payload: string | null) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** `schema.table` or `table`, each part quoted. */
const qualified = (table: string) => table.split('.').map(quoteIdent).join('.');
export interface CsvCopy {
  delimiter: string;
  prelude?: readonly string[];
}
const DELIMITER_LITERALS: Record<string, string> = { ',': "','", ';': "';'", '|': "'|'", '\t': "E'\\t'" };
const copyOptions = (csv?: CsvCopy) => {
  if (!csv) return '';
  const literal = DELIMITER_LITERALS[csv.delimiter];
  if (!literal) throw new Error(`unsupported CSV delimiter ${JSON.stringify(csv.delimiter)}`);
  return ` with (format csv, delimiter ${literal})`;
};
const copySql = (table: string, columns: string[], source: string, csv?: CsvCopy) =>
  `copy ${qualified(table)} (${columns.map(quoteIdent).join(', ')}) from ${source}${copyOptions(csv)}`;

// bigint (count(*), bigserial) arrives as text; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric stays a string (exact); date stays 'YYYY-MM-DD' text, not a local-midnight Date.
pg.types.setTypeParser(1082, (v) => v);

export interface DatabaseOptions {
  url?: string;
  dataDir?: string;
  poolSize?: number;
  /** connections of the separate pool for the SQL and table APIs (PostgreSQL only) */
  queryPoolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    // Idle connections are kept (the pool is bounded by max): pg's default closed them after 10 s, and the next burst
    // reopened them — a fork and a cold catalog cache on the server each, several at once, in the middle of traffic
    // (bench/exchange: a stall of 100–300 ms every ~10 s at 200 req/s).
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, idleTimeoutMillis: 0 });
    // An idle connection closed by the server (a restart, a terminated backend) is dropped from the pool,
    // and the next query opens a new one; left unhandled, the event would stop the process.
    pool.on('error', () => undefined);
    // Fail at start, with the server's own words, rather than at the first request.
    const client = await pool.connect();
    client.release();
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    const queryPool = new pg.Pool({
      connectionString: opts.url,
      max: opts.queryPoolSize ?? 4,
      idleTimeoutMillis: 60_000,
      application_name: 'ndp-query',
    });
    queryPool.on('error', () => undefined);
    const queryDb = new Kysely<any>({ dialect: new PostgresDialect({ pool: queryPool }) });
    const copyIn = async (table: string, columns: string[], chunks: AsyncIterable<string | Buffer>, csv?: CsvCopy) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        for (const statement of csv?.prelude ?? []) await client.query(statement);
        const sink = client.query(copyFrom(copySql(table, columns, 'stdin', csv)));
        await pipeline(Readable.from(chunks), sink);
        await client.query('commit');
        return Number(sink.rowCount ?? 0);
      } catch (err) {
        // a COPY cut off by its source leaves the connection mid-protocol: close it rather than pool it
        broken = err as Error;
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release(broken);
      }
    };
    return {
      db,
      queryDb,
      driver: 'postgres',
      copyIn,
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      queryPoolStats: () => ({
        total: queryPool.totalCount,
        idle: queryPool.idleCount,
        waiting: queryPool.waitingCount,
      }),
      listen: (channel, onNotify) => listenOnPostgres(opts.url!, channel, onNotify),
      close: async () => {
        await queryDb.destroy();
        await db.destroy();
      },
    };
  }
  const dir = opts.dataDir ?? 'memory://';
  let unlock: () => void = () => {};
  if (!dir.startsWith('memory://')) {
    fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
    unlock = lockDataDir(path.resolve(dir));
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dir);
  } catch (err) {
    unlock();
    throw err;
  }
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const copyIn = async (table: string, columns: string[], chunks: AsyncIterable<string | Buffer>, csv?: CsvCopy) => {
    // One connection (the pool's only one) keeps the transaction and the blobs on the same session.
    const client = await pool.connect();
    try {
      await client.query('begin');
      for (const statement of csv?.prelude ?? []) await client.query(statement);
      let rows = 0;
      for await (const chunk of chunks) {
        if (!chunk.length) continue;
        const r = await pglite.query(copySql(table, columns, `'/dev/blob'`, csv), [], {
          blob: new Blob([chunk as string | Uint8Array<ArrayBuffer>]),
        });
        rows += r.affectedRows ?? 0;
      }
      await client.query('commit');
      return rows;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  return {
    db,
    queryDb: db,
    driver: 'pglite',
    copyIn,
    pglite,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    queryPoolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    listen: async (channel, onNotify) => {
      const stop = await pglite.listen(channel, (payload) => onNotify(payload || null));
      // the engine may be closed already (a test's outage): nothing is listening any more
      return async () => {
        if (!pglite.closed) await stop().catch(() => undefined);
      };
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}

/**
 * LISTEN on a connection of its own. A dropped connection is opened again after a second, and `onNotify(null)` is
 * called then: what was notified while it was down is not known, so the listener assumes anything changed.
 */
async function listenOnPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string | null) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'ndp-listen' });
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload || null);
    });
    c.on('error', () => {
      if (stopped || client !== c) return;
      client = undefined;
      c.end().catch(() => undefined);
      // what was notified while the connection was down is not known: a notice without payload says "anything"
      retry = setTimeout(
        () =>
          connect().then(
            () => onNotify(null),
            () => undefined,
          ),
        1000,
      );
    });
    await c.connect();
    await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    client = c;
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
