import { Command } from 'commander';
import { loadConfig, ConfigError } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { DomainError } from '../platform/errors.js';
import { serve } from './serve.js';
import { migrateCommand, seedCommand } from './database.commands.js';
import { createUserCommand } from './admin.commands.js';
import { qualityRunCommand, qualitySweepCommand } from './quality.command.js';
import { importCommand } from './import.command.js';
import { gatewayInitCommand, gatewayRunCommand, logSealsCommand, logVerifyCommand } from './exchange.commands.js';
import { logProveCommand } from './prove.command.js';

const program = new Command('ndp').description('National Data Platform').showHelpAfterError();

program
  .command('serve')
  .description('Start the platform (all parts in one process)')
  .option('--no-seed', 'do not load master data on an empty database')
  .option('--no-demo', 'do not publish the demo data sets on first start')
  .action((o: { seed: boolean; demo: boolean }) => serve(loadConfig(), { seed: o.seed, demo: o.demo }));
program
  .command('migrate')
  .description('Apply database migrations')
  .action(() => migrateCommand(loadConfig()));
program
  .command('seed')
  .description('Load master data (agencies, administrative units, crosswalk, licences, themes)')
  .action(() => seedCommand(loadConfig()));
const admin = program.command('admin').description('Administration');
admin
  .command('create-user')
  .description('Create a user (the first platform admin, typically)')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .option('--password <password>', 'password (or set NDP_ADMIN_PASSWORD; prompting is not needed in scripts)')
  .option('--platform-admin', 'make the user a platform administrator', false)
  .option('--agency <agency>', 'agency id, slug or identifier code to join')
  .option('--role <role>', 'role in that agency: agency_admin, agency_editor or viewer', 'agency_editor')
  .action((o) => createUserCommand(loadConfig(), o));
program
  .command('import')
  .description('Import a local file as a distribution of a data set (creates the data set unless --dataset)')
  .argument('<file>')
  .requiredOption('--user <email>', 'the user the import is done as (audited)')
  .option('--dataset <id>', 'existing data set id or slug')
  .option('--agency <agency>', 'agency for a new data set')
  .option('--title <title>', 'title of a new data set')
  .option('--description <text>')
  .option('--licence <id>', 'licence id', 'CC-BY-4.0')
  .option('--publish', 'publish the data set after the import', false)
  .action((file: string, o) => importCommand(loadConfig(), file, o));
const quality = program.command('quality').description('Data quality');
quality
  .command('run')
  .description('Run the check suite of every loaded file of a data set; exits 1 if a check fails')
  .argument('<dataset>', 'data set id or slug')
  .requiredOption('--user <email>', 'the user the run is done as (audited)')
  .option('--suggest', 'where a file has no suite, use the one suggested from its data', false)
  .option('--lang <lang>', 'vi or en', 'vi')
  .action((dataset: string, o) =>
    qualityRunCommand(loadConfig(), dataset, { ...o, lang: o.lang === 'en' ? 'en' : 'vi' }),
  );
quality
  .command('sweep')
  .description(
    "Probe every published link, run every kept check suite, keep every published data set's quality card (what `ndp serve` does every NDP_QUALITY_SWEEP_HOURS)",
  )
  .action(() => qualitySweepCommand(loadConfig()));
const gateway = program.command('gateway').description('An agency’s exchange gateway (X-Road REST protocol)');
gateway
  .command('init')
  .description('Make the gateway’s keys in --dir and print the registration body')
  .requiredOption('--dir <dir>', 'the gateway’s folder (keys, configuration, evidence log)')
  .requiredOption('--agency <agency>', 'the agency it serves (id, slug or code)')
  .requiredOption('--address <url>', 'https://host:port where other gateways reach it')
  .action((o) => gatewayInitCommand(o));
gateway
  .command('run')
  .description('Run the gateway')
  .requiredOption('--dir <dir>')
  .requiredOption('--anchor <file>', 'the anchor (GET /api/v1/exchange/anchor of the registry), obtained out of band')
  .requiredOption('--id <uuid>', 'the id the registry gave the gateway')
  .option('--listen <host:port>', 'internal side, for the agency’s systems', '127.0.0.1:8080')
  .option(
    '--listen-tls <host:port>',
    'internal side over HTTPS too, where a system may sign in with its registered client certificate',
  )
  .option('--peer-listen <host:port>', 'external side, mutual TLS, for other gateways', '0.0.0.0:8443')
  .option('--config-interval <seconds>', 'how often to fetch the configuration', '60')
  .option('--report-interval <seconds>', 'how often to report checkpoint, figures and access records', '10')
  .option(
    '--grace <seconds>',
    'work on a configuration at most this long after it was issued (default: until the registry’s expiry)',
  )
  .action((o) => gatewayRunCommand(o));
const log = program.command('log').description('The exchange’s evidence logs');
log
  .command('verify')
  .description(
    'Check a gateway’s evidence log: entries, signed checkpoints, inclusion and consistency proofs; exits 1 on any failure',
  )
  .argument('<dir>', 'the log folder (<gateway dir>/log)')
  .option('--key <vkey>', 'the gateway’s verifier key (signed-note form); default: the one beside the log')
  .option('--checkpoint <file>', 'an older signed checkpoint to prove the log only grew since')
  .option('--archive <dir...>', 'folders closed segments were moved to (checked as if they were in <dir>/segments)')
  .action((dir: string, o) => logVerifyCommand(dir, o));
log
  .command('seals')
  .description(
    'Check the gateways’ seals an evidence log keeps for one exchange (what each gateway signed); exits 1 if one does not verify',
  )
  .argument('<dir>', 'the log folder (<gateway dir>/log)')
  .argument('<message-id>', 'the exchange’s X-Road-Id')
  .requiredOption('--cert <file...>', 'the gateways’ certificates (PEM, as the registry lists them)')
  .option('--user <id>', 'the person’s id the request named (X-Road-UserId), when it named one')
  .option('--archive <dir...>', 'folders closed segments were moved to')
  .action((dir: string, id: string, o) => logSealsCommand(dir, id, o));
log
  .command('prove')
  .description(
    'Check record proofs offline (a RecordProof JSON, or an array of them): audit path, tree size, the checkpoint’s signature; exits 1 on any failure',
  )
  .argument('<file>', 'the JSON file, or - for standard input')
  .option(
    '--key <vkey>',
    'the gateway’s verifier key to pin (signed-note form) instead of trusting the one in the file',
  )
  .action((file: string, o) => logProveCommand(file, o));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof DomainError) {
    process.stderr.write(
      `ndp: ${err.code}: ${err.messages.en} / ${err.messages.vi}\n${err.details.map((d) => `  - ${d.field ?? ''}: ${d.en} / ${d.vi}\n`).join('')}`,
    );
    process.exit(1);
  }
  createLogger({ logLevel: 'error' }).error({ err }, 'ndp failed');
  process.exit(1);
}
