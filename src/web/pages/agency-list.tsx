import type { PageContext } from '../context.js';
import { formatNumber } from '../format.js';

export interface AgencyItem {
  slug: string;
  code: string;
  name_vi: string;
  name_en: string | null;
  kind: string;
}

/** An agency with what the list shows beside it: its published data sets and, for a province, its communes. */
export interface AgencyEntry extends AgencyItem {
  datasets: number;
  communes?: number;
  children?: AgencyEntry[];
  parent?: AgencyItem | null;
}

/** The English name on English pages, where the agency has one. */
export const agencyName = (ctx: PageContext, a: { name_vi: string; name_en: string | null }) =>
  ctx.lang === 'en' && a.name_en ? a.name_en : a.name_vi;

/** One agency of the hierarchy: its name, its data sets, its communes (a link to them), the agencies under it. */
export function AgencyBranch({ ctx, a }: { ctx: PageContext; a: AgencyEntry }) {
  const { t, lang } = ctx;
  return (
    <li>
      <a href={`/agency/${a.slug}`}>{agencyName(ctx, a)}</a>{' '}
      <span class="meta">
        {t(a.datasets === 1 ? 'agencies.datasetCount.one' : 'agencies.datasetCount.other', {
          count: formatNumber(a.datasets, lang),
        })}
      </span>
      {a.communes ? (
        <>
          {' · '}
          <a href={`/agencies?province=${encodeURIComponent(a.slug)}`} class="commune-link">
            {t(a.communes === 1 ? 'agencies.communeCount.one' : 'agencies.communeCount.other', {
              count: formatNumber(a.communes, lang),
            })}
          </a>
        </>
      ) : null}
      {a.children?.length ? (
        <ul class="agency-tree">
          {a.children.map((c) => (
            <AgencyBranch ctx={ctx} a={c} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** A flat list of agencies (a search, or one province's communes): name, kind, where it sits, data sets. */
export function AgencyTable({ ctx, rows }: { ctx: PageContext; rows: AgencyEntry[] }) {
  const { t, lang } = ctx;
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('units.name')}</th>
            <th scope="col">{t('db.category')}</th>
            <th scope="col">{t('agencies.parent')}</th>
            <th scope="col" class="num">
              {t('agencies.datasets')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => (
            <tr>
              <td>
                <a href={`/agency/${a.slug}`}>{agencyName(ctx, a)}</a>
              </td>
              <td>{t(`agency.kind.${a.kind}`)}</td>
              <td>{a.parent ? <a href={`/agency/${a.parent.slug}`}>{agencyName(ctx, a.parent)}</a> : ''}</td>
              <td class="num">{formatNumber(a.datasets, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
