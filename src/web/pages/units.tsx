import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import type { presentCrosswalk, presentUnit } from '../../masterdata/masterdata.presenter.js';

type Unit = ReturnType<typeof presentUnit>;

export function UnitsPage({
  ctx,
  q,
  units,
  total,
  old,
  crosswalk,
  crosswalkError,
  oldMatches,
}: {
  ctx: PageContext;
  q: string;
  units: Unit[];
  total: number;
  old: string;
  crosswalk: ReturnType<typeof presentCrosswalk> | null;
  crosswalkError: string | null;
  oldMatches: { code: string; name: string; level: string }[];
}) {
  const { t } = ctx;
  const unitName = (u: { full_name: string; full_name_en?: string | null }) =>
    ctx.lang === 'en' && u.full_name_en ? u.full_name_en : u.full_name;
  return (
    <Layout ctx={ctx} title={t('units.title')}>
      <h1>{t('units.title')}</h1>
      <p class="lead">{t('units.lead')}</p>
      <div class="columns">
        <section>
          <h2>{t('units.search')}</h2>
          <form method="get" action="/units" class="filter-row">
            <div class="field">
              <label for="unit-q">{t('units.name')}</label>
              <input type="search" id="unit-q" name="q" value={q} />
            </div>
            <button type="submit">{t('search.button')}</button>
          </form>
          {q && <p role="status">{total}</p>}
          {units.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('units.code')}</th>
                  <th scope="col">{t('units.name')}</th>
                  <th scope="col">{t('units.type')}</th>
                </tr>
              </thead>
              <tbody>
                {units.map((u) => (
                  <tr>
                    <td>
                      <code>{u.code}</code>
                    </td>
                    <td>{unitName(u)}</td>
                    <td>{ctx.lang === 'en' ? u.type_en : u.type}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section>
          <h2>{t('units.crosswalk')}</h2>
          <form method="get" action="/units" class="filter-row">
            <div class={crosswalkError ? 'field field-error' : 'field'}>
              <label for="old">{t('units.oldCode')}</label>
              <p class="hint" id="old-hint">
                {t('units.crosswalkHelp')}
              </p>
              {crosswalkError && (
                <p class="error-message" id="old-error">
                  {crosswalkError}
                </p>
              )}
              <input
                type="text"
                id="old"
                name="old"
                value={old}
                aria-describedby={crosswalkError ? 'old-hint old-error' : 'old-hint'}
              />
            </div>
            <button type="submit">{t('units.lookup')}</button>
          </form>
          {oldMatches.length > 0 && (
            <div role="status">
              <p>{t('units.manyOld')}</p>
              <ul class="plain-list">
                {oldMatches.map((m) => (
                  <li>
                    <a href={`/units?old=${m.code}`}>{m.name}</a> (<code>{m.code}</code>)
                  </li>
                ))}
              </ul>
            </div>
          )}
          {crosswalk && (
            <div class="crosswalk-result" role="status">
              <p>
                <strong>{crosswalk.old.name}</strong> (<code>{crosswalk.old.code}</code>) →
              </p>
              <ul>
                {crosswalk.new.map((n) => (
                  <li>
                    <strong>{n.full_name}</strong> (<code>{n.code}</code>) —{' '}
                    {n.coverage === 'full' ? t('units.becameFull') : t('units.becamePartial')}
                    {n.note && (
                      <p class="hint">
                        <strong>{t('units.disputed')}</strong> {n.note[ctx.lang === 'en' ? 'en' : 'vi']}
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
      </div>
    </Layout>
  );
}
