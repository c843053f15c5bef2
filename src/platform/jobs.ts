import PgBoss from 'pg-boss';
import { CompiledQuery } from 'kysely';
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

  constructor(database: Database, private readonly logger: Logger) {
    const executeSql = async (text: string, values?: unknown[]) => {
      const r = await database.db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: r.rows as unknown[] };
    };
    this.boss = new PgBoss({ db: { executeSql }, schema: 'jobs', supervise: true, schedule: false } as unknown as PgBoss.ConstructorOptions);
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
        for (const job of jobs) await w.handler(job.data);
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

  async state(queue: string, id: string): Promise<string | undefined> {
    return (await this.boss.getJobById(queue, id))?.state;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
