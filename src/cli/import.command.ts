import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import type { Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { DomainError } from '../platform/errors.js';
import { openForCommand } from './database.commands.js';
import { buildApp } from '../app.js';
import { progressBar } from './progress.js';
import { loadTable } from '../datastore/load/loader.js';
import { LOADABLE } from '../datastore/load/load.job.js';
import { TABLE_FORMATS } from '../datastore/load/reader.js';

export async function importCommand(
  config: Config,
  file: string,
  o: {
    user: string;
    dataset?: string;
    agency?: string;
    title?: string;
    description?: string;
    licence: string;
    publish: boolean;
  },
): Promise<void> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new DomainError('NOT_FOUND', { vi: `Không có tệp ${file}.`, en: `No such file: ${file}.` });
  }
  if (!o.dataset && !o.agency) {
    throw new DomainError('VALIDATION_FAILED', {
      vi: 'Cần --dataset (bộ dữ liệu có sẵn) hoặc --agency (tạo mới).',
      en: 'Give --dataset (existing) or --agency (new data set).',
    });
  }
  const database = await openForCommand(config);
  try {
    const { services } = await buildApp(config, database, createLogger({ logLevel: 'warn' }), { queueLoads: false });
    const principal = await services.accounts.principalFor(o.user);
    const { datasets } = services.catalog;
    let key = o.dataset;
    if (!key) {
      const agency = await services.masterData.agency(o.agency!);
      const title = o.title ?? path.basename(file, path.extname(file));
      const created = await datasets.create(principal, {
        agency_id: agency.id,
        title_vi: title,
        description_vi: o.description ?? title,
        licence_id: o.licence,
      });
      key = created.dataset.id;
      process.stderr.write(`Created data set ${created.dataset.slug}\n`);
    }
    const size = fs.statSync(file).size;
    const bar = progressBar(`Uploading ${path.basename(file)}`, size);
    let sent = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _e, done) {
        sent += chunk.length;
        bar.update(sent, 'bytes');
        done(null, chunk);
      },
    });
    const row = await datasets.addFile(principal, key, {
      stream: fs.createReadStream(file).pipe(meter),
      fileName: path.basename(file),
      mimeType: undefined,
    });
    bar.stop();
    if (row.format && LOADABLE.has(row.format)) {
      process.stderr.write('Loading the table…\n');
      const loaded = await loadTable(
        database,
        row.id,
        () => fs.createReadStream(file),
        row.table_schema as never,
        (rows) => process.stderr.write(`  ${rows.toLocaleString('en')} rows loaded…\n`),
        TABLE_FORMATS[row.format],
      );
      process.stderr.write(
        `Loaded ${loaded.rows} rows into table version ${loaded.version}${loaded.rejected ? `, ${loaded.rejected} rows rejected (first: line ${loaded.rejections[0]!.line}, ${loaded.rejections[0]!.en})` : ''}\n`,
      );
    }
    if (o.publish) await datasets.setStatus(principal, key, 'published');
    process.stdout.write(
      `Imported ${row.file_name}: ${row.byte_size} bytes, sha256 ${row.sha256}, distribution ${row.id}${o.publish ? ', published' : ''}\n`,
    );
  } finally {
    await database.close();
  }
}
