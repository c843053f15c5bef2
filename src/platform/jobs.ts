import PgBoss from 'pg-boss';
import { CompiledQuery, sql } from 'kysely';
import type { Database } from './database.js';
import type { Logger } from './logger.js';

/**
 * Background jobs in PostgreSQL with pg-boss (retries, states, no extra
 * service). pg-boss talks to the database through our own Kysely connection,
 * so the same queue runs on PGlite and on a PostgreSQL server.
 */
export class Jobs {
  private readonly boss: PgBoss;
  private started = false;
  private readonly workers: { queue: string; handler: (data: Record<string, unknown>) => Promise<void> }[] = [];
  /**
   * Handlers and pg-boss's statements under way: pg-boss gives up waiting for a handler after its timeout and marks a
   * job done without waiting for the statement, so `stop` waits for both before the database may be closed.
   */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
  ) {
    const executeSql = (text: string, values?: unknown[]) => {
      return this.track(
        database.db.executeQuery(CompiledQuery.raw(text, values ?? [])).then((r) => ({ rows: r.rows as unknown[] })),
      );
    };
    this.boss = new PgBoss({
      db: { executeSql },
      schema: 'jobs',
      supervise: true,
      schedule: false,
    } as unknown as PgBoss.ConstructorOptions);
    this.boss.on('error', (err) => this.logger.error({ err }, 'job queue error'));
  }

  /** Registers a worker; it runs once `start` is called. */
  handle(queue: string, handler: (data: Record<string, unknown>) => Promise<void>): void {
    this.workers.push({ queue, handler });
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    for (const w of this.workers) {
      await this.boss.createQueue(w.queue);
      await this.boss.work<Record<string, unknown>>(w.queue, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const job of jobs) await this.track(w.handler(job.data));
      });
    }
    this.started = true;
  }

  /** Queues a job; when the queue is not running (console commands, some tests) it says so in the log and returns null. */
  async send(queue: string, data: Record<string, unknown>): Promise<string | null> {
    if (!this.started) {
      this.logger.warn({ queue, data }, 'job queue is not running: job not queued');
      return null;
    }
    return this.boss.send(queue, data, { retryLimit: 2, retryDelay: 5, retryBackoff: true });
  }

  /**
   * Queues a job at most once a period of `seconds` (periods counted from the epoch, on the database's clock) for
   * every process on the database: the first ask of a period takes it, later ones return null.
   */
  async sendOncePer(queue: string, seconds: number, data: Record<string, unknown>): Promise<string | null> {
    if (!this.started) return this.send(queue, data);
    const claimed = await sql<{ previous: Date | null }>`
      with period as (select to_timestamp(floor(extract(epoch from now()) / ${seconds}::float8) * ${seconds}::float8) as start),
           before as (select period_start from job_periods where queue = ${queue})
      insert into job_periods as p (queue, period_start) select ${queue}, start from period
      on conflict (queue) do update set period_start = excluded.period_start, asked_at = now() where p.period_start < excluded.period_start
      returning (select period_start from before) as previous`.execute(this.database.db);
    if (!claimed.rows.length) return null;
    try {
      return await this.send(queue, data);
    } catch (err) {
      // not queued: the period is given back, for the next ask
      await sql`update job_periods set period_start = coalesce(${claimed.rows[0]!.previous}, '-infinity'::timestamptz) where queue = ${queue}`.execute(
        this.database.db,
      );
      throw err;
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const settled = () => {
      this.pending.delete(work);
    };
    work.then(settled, settled);
    return work;
  }

  async state(queue: string, id: string): Promise<string | undefined> {
    return (await this.boss.getJobById(queue, id))?.state;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    // a job's completion is written after pg-boss counts the job as finished; the database must outlive that write
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}
