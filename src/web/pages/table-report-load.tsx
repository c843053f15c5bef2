import type { PageContext } from '../context.js';
import type { TableRow } from '../../datastore/query/datastore.service.js';
import type { NumberReading } from '../../datastore/load/number-format.js';

interface LoadNotesReport {
  error?: string;
  error_vi?: string;
  json_path?: string;
  number_readings?: NumberReading[];
}

const report = (v: TableRow) => (v.report ?? {}) as LoadNotesReport;

/**
 * What the publisher must know about how a file was read: why a load failed, where a JSON file's records were
 * found, and number columns the file left ambiguous (`7.512`), with the other reading one click away.
 */
export function LoadNotes({
  ctx,
  distributionId,
  versions,
}: {
  ctx: PageContext;
  distributionId: string;
  versions: TableRow[];
}) {
  const { t, lang } = ctx;
  const latest = versions[0];
  if (!latest) return null;
  const failed = versions.filter((v) => v.status === 'failed' && (report(v).error || report(v).error_vi)).slice(0, 5);
  const { json_path: jsonPath, number_readings: readings = [] } = report(latest);
  return (
    <>
      {failed.length > 0 && (
        <section class="load-failures">
          <h2>{t('table.report.failures')}</h2>
          <ul>
            {failed.map((v) => (
              <li>
                {t('table.version')} {v.version}:{' '}
                {lang === 'en' ? report(v).error : (report(v).error_vi ?? report(v).error)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {jsonPath && (
        <p class="json-path">
          {t('table.report.jsonPath')}: <code>{jsonPath}</code>
        </p>
      )}
      {readings.length > 0 && (
        <section class="number-readings">
          <h2>{t('table.report.numbers')}</h2>
          {readings.map((r) => {
            const other = r.style === 'vietnamese' ? 'international' : 'vietnamese';
            return (
              <form method="post" action={`/dashboard/distributions/${distributionId}/number-format`}>
                <p>
                  <code>{r.title}</code> ({r.examples.join(', ')}): {t(`table.report.numbers.${r.style}`)} —{' '}
                  {t(`table.report.numbers.by.${r.by}`)}
                </p>
                <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
                <input type="hidden" name="column" value={r.column} />
                <input type="hidden" name="style" value={other} />
                <button type="submit">{t(`table.report.numbers.switch.${other}`)}</button>
              </form>
            );
          })}
        </section>
      )}
    </>
  );
}
