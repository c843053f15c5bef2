import type { CatalogService } from '../../catalog/catalog.service.js';
import type { Related } from '../../catalog/related.service.js';
import type { MasterDataService } from '../../masterdata/masterdata.service.js';
import type { PageContext } from '../../web/context.js';
import type { DatasetSection } from '../../web/dataset-sections.js';

const ITEMS_SHOWN = 3;
const list = (xs: string[]) => xs.slice(0, ITEMS_SHOWN).join(', ') + (xs.length > ITEMS_SHOWN ? ', …' : '');

/** Why a data set is related, in the reader's words: “same theme: Population; shared fields: Province code”. */
async function reasons(ctx: PageContext, r: Related[], catalog: CatalogService, md: MasterDataService) {
  const en = ctx.lang === 'en';
  const themes = new Map((await md.themes()).map((th) => [th.id, en ? th.label_en : th.label_vi]));
  const units = new Map(
    (await md.unitsByCodes([...new Set(r.flatMap((x) => x.why.places))])).map((u) => [
      u.code,
      en && u.full_name_en ? u.full_name_en : u.full_name,
    ]),
  );
  const fields = await catalog.dictionary.labels(r.flatMap((x) => x.why.fields));
  return r.map(({ why }) =>
    [
      why.fields.length
        ? ctx.t('related.field', { items: list(why.fields.map((f) => fields.get(f)?.[ctx.lang] ?? f)) })
        : '',
      why.themes.length ? ctx.t('related.theme', { items: list(why.themes.map((x) => themes.get(x) ?? x)) }) : '',
      why.places.length ? ctx.t('related.place', { items: list(why.places.map((x) => units.get(x) ?? x)) }) : '',
      why.agency ? ctx.t('related.agency') : '',
    ]
      .filter(Boolean)
      .join('; '),
  );
}

/** The related data sets of a data set's page, each with why (below its metadata). */
export function relatedSection(catalog: CatalogService, md: MasterDataService): DatasetSection {
  return async ({ ctx, view }) => {
    const related = await catalog.related.of(view);
    if (!related.length) return null;
    const why = await reasons(ctx, related, catalog, md);
    return {
      aside: (
        <section aria-labelledby="related-heading" class="panel" data-testid="related-datasets">
          <h2 id="related-heading">{ctx.t('related.title')}</h2>
          <ul class="plain-list">
            {related.map((r, i) => (
              <li>
                <a href={`/dataset/${r.dataset.slug}`}>
                  {ctx.lang === 'en' && r.dataset.title_en ? r.dataset.title_en : r.dataset.title_vi}
                </a>
                <p class="hint">{why[i]}</p>
              </li>
            ))}
          </ul>
        </section>
      ),
    };
  };
}
