import type { Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { openMigrated } from '../platform/runtime.js';
import { MIGRATIONS } from '../migrations/index.js';
import { buildApp } from '../app.js';
import { seedIfEmpty } from './database.commands.js';
import { cleanUpInterruptedLoads } from '../datastore/load/table-versions.js';
import { publishDemo } from './demo.js';
import { startDemoNetwork, type DemoNetwork } from './demo-network.js';
import { startDemoRegisters, type DemoRegisters } from './demo-registers.js';
import { startDemoServices } from './demo-services.js';
import type { StandInEid } from '../identity/stand-in/stand-in-eid.js';

export async function serve(config: Config, opts: { seed: boolean; demo: boolean }): Promise<void> {
  const logger = createLogger(config);
  const started = Date.now();
  const { database, applied } = await openMigrated(config, MIGRATIONS);
  logger.info({ driver: database.driver, applied }, 'database ready');
  if (opts.seed) await seedIfEmpty(database, logger);
  const interrupted = await cleanUpInterruptedLoads(database);
  if (interrupted) logger.warn({ interrupted }, 'dropped table loads that a previous process left half-done');
  const app = await buildApp(config, database, logger);
  // the exchange registry's keys open (or are made, or sealed) now: a missing or wrong key-encryption key stops the start, not a gateway's call later
  await app.services.registry.authority();
  if (!config.exchangeKeyEncryptionKey)
    logger.warn(
      'the exchange registry keeps its secret keys in the database as they are: set NDP_EXCHANGE_KEY_ENCRYPTION_KEY to seal them',
    );
  await app.jobs.start();
  if (opts.seed && opts.demo) await publishDemo(app, database, logger);
  await app.server.listen({ port: config.port, host: config.host });
  logger.info({ url: config.baseUrl, ms: Date.now() - started }, 'ndp serve is up');
  let standIn: StandInEid | undefined;
  if (opts.seed && opts.demo && config.identity.demoEid && !config.identity.oidcIssuer) {
    try {
      // loaded only for a demo: a deployment with a real e-ID never loads the stand-in's provider library
      const { startDemoEid } = await import('./demo-eid.js');
      const demo = await startDemoEid(app, database, config);
      standIn = demo.standIn;
      logger.info({ issuer: standIn.issuer }, `stand-in e-ID (VNeID) is up; to sign in as a citizen, ${demo.howTo}`);
    } catch (err) {
      logger.error({ err }, 'the stand-in e-ID did not start (the platform runs without e-ID sign-in)');
    }
  }
  let network: DemoNetwork | undefined;
  let registers: DemoRegisters | undefined;
  if (opts.seed && opts.demo && config.demoNetwork) {
    try {
      const address = app.server.server.address();
      const registryUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : config.port}`;
      const demo = { dataDir: config.dataDir, basePort: config.port, logger, registryUrl };
      network = await startDemoNetwork(app, database, demo);
      logger.info(
        { consumerGateway: network.consumerUrl, ms: Date.now() - started },
        `demo exchange network is up; try: ${network.curl}`,
      );
      registers = await startDemoRegisters(app, database, network, demo);
      await startDemoServices(app, database, network, registers);
      logger.info(
        { ms: Date.now() - started },
        'demo civil status and business registers are up; Phường Hoàn Kiếm’s procedures are at /services',
      );
    } catch (err) {
      logger.error({ err }, 'the demo exchange network did not start (the platform runs without it)');
    }
  }

  // the scheduled quality pass (link probes, every kept suite, the cards) as a job: once a period (periods counted
  // from the epoch: a day is a UTC day) for the platform, whichever process asks first; asked every hour at most, so
  // a period is not missed because the process that would have asked was restarted; the exchange registry's
  // housekeeping (old access records and checkpoints) likewise once a day
  const ask = () => {
    if (config.qualitySweepHours > 0)
      app
        .askSweep(config.qualitySweepHours)
        .catch((err: unknown) => logger.error({ err }, 'quality sweep could not be queued'));
    app.askHousekeeping().catch((err: unknown) => logger.error({ err }, 'exchange housekeeping could not be queued'));
  };
  const sweepTimer = setInterval(ask, 3_600_000);
  sweepTimer.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing open requests');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    clearInterval(sweepTimer);
    await registers?.stop();
    await network?.stop();
    await standIn?.close();
    await app.server.close();
    await app.jobs.stop();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
