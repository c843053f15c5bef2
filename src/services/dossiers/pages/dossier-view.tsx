import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import { formatDay, formatMoment } from '../../../web/table-cells.js';
import type { ProcedureField, ProcedureRow } from '../../procedures/procedure.js';
import type { FieldSource } from '../../prefill/prefill.types.js';
import type { DossierField } from '../dossier.types.js';

/** The names of the sources' agencies and databases (`DossiersService.sourceNames`). */
export interface SourceNames {
  agencies: Map<string, { name_vi: string; name_en: string | null }>;
  databases: Map<string, { name_vi: string; name_en: string | null }>;
}

export const named = (ctx: PageContext, x: { name_vi: string; name_en: string | null } | undefined) =>
  x ? (ctx.lang === 'en' && x.name_en ? x.name_en : x.name_vi) : '';

export const fieldLabel = (ctx: PageContext, f: Pick<ProcedureField, 'label_vi' | 'label_en'>) =>
  ctx.lang === 'en' && f.label_en ? f.label_en : f.label_vi;

export const procedureName = (ctx: PageContext, p: Pick<ProcedureRow, 'name_vi' | 'name_en'>) =>
  ctx.lang === 'en' && p.name_en ? p.name_en : p.name_vi;

/** A value as the reader writes it: a date 07/12/2026 or 7 Dec 2026, a yes/no in words. */
export function shownValue(ctx: PageContext, type: ProcedureField['type'] | undefined, value: string): string {
  if (type === 'date' && /^\d{4}-\d{2}-\d{2}/.test(value)) return formatDay(value, ctx.lang);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return ctx.t(`dossiers.bool.${value}`);
  return value;
}

/** Where a value came from: “Cơ sở dữ liệu quốc gia về dân cư — Bộ Công an, đọc lúc 07/12/2026 14:05”. */
export function sourceText(ctx: PageContext, s: FieldSource, names: SourceNames): string {
  const agency = named(ctx, names.agencies.get(s.agency_id));
  const at = formatMoment(s.at, ctx.lang);
  if (s.kind === 'result') return ctx.t('dossiers.source.result', { agency, at });
  if (s.event)
    return ctx.t('dossiers.source.event', {
      event: s.event.id,
      agency,
      date: formatDate(s.event.occurred_at, ctx.lang),
    });
  const db = s.database_id ? named(ctx, names.databases.get(s.database_id)) : '';
  return ctx.t('dossiers.source.register', { db: db || (s.service ?? ''), agency, at });
}

/** A dossier's fields: the value, reused / typed / disputed / an optional one left empty, and from where. */
export function DossierFields({
  ctx,
  fields,
  procedure,
  names,
}: {
  ctx: PageContext;
  fields: DossierField[];
  procedure: ProcedureRow;
  names: SourceNames;
}) {
  const { t } = ctx;
  const def = new Map(procedure.fields.map((f) => [f.key, f]));
  return (
    <div class="table-scroll">
      <table data-testid="dossier-fields">
        <caption>{t('dossiers.fields.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dossiers.fields.field')}</th>
            <th scope="col">{t('dossiers.fields.value')}</th>
            <th scope="col">{t('dossiers.fields.origin')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => {
            const d = def.get(f.key);
            const origin = f.disputed
              ? 'disputed'
              : f.origin !== 'typed'
                ? 'reused'
                : f.value === ''
                  ? 'empty'
                  : 'typed';
            return (
              <tr data-origin={origin}>
                <th scope="row">{d ? fieldLabel(ctx, d) : f.key}</th>
                <td class="prewrap">
                  {f.disputed && f.contradicts !== undefined ? (
                    <span data-testid="contradicts">
                      {t('dossiers.contradicts', {
                        register: shownValue(ctx, d?.type, f.contradicts),
                        value: shownValue(ctx, d?.type, f.value),
                      })}
                    </span>
                  ) : origin === 'empty' ? (
                    '—'
                  ) : (
                    shownValue(ctx, d?.type, f.value)
                  )}
                </td>
                <td>
                  {t(`dossiers.origin.${origin}`)}
                  {f.source && (
                    <>
                      <br />
                      <span class="hint">{sourceText(ctx, f.source, names)}</span>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A due date, red once past (an open dossier only). */
export function DueText({ ctx, due, open, now }: { ctx: PageContext; due: Date | null; open: boolean; now: Date }) {
  if (!due) return null;
  const day = formatDate(due, ctx.lang);
  if (open && now > due)
    return (
      <strong class="late">
        {day} — {ctx.t('dossiers.overdue')}
      </strong>
    );
  return <span>{day}</span>;
}
