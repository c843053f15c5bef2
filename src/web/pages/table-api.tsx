import type { PageContext } from '../context.js';

/*
 * Ready-made API calls for the view on screen (its filters and sort), to copy: curl, Python and JavaScript on the
 * native table API, and CKAN's `datastore_search` form for CKAN clients. They name the file (its latest version),
 * so the call keeps working after the next load. CKAN's `filters` holds equality only (a list for "one of"); a view
 * with other conditions says so beside that form.
 */

export interface ApiView {
  /** the file's id: the native API and CKAN's `resource_id` both take it */
  distributionId: string;
  /** the view's query as the native API takes it (filters, order) */
  query: [string, string][];
  filters: { column: string; op: string; value: string }[];
  order: { column: string; desc: boolean } | null;
}

const LIMIT = '100';
const py = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const js = (s: string) => JSON.stringify(s);

/** CKAN's `filters` object for the view, and whether every condition fits it. */
export function ckanFilters(filters: ApiView['filters']): { filters: Record<string, string | string[]>; all: boolean } {
  const out: Record<string, string | string[]> = {};
  let all = true;
  for (const f of filters) {
    if (f.op === 'eq' && !(f.column in out)) out[f.column] = f.value;
    else if (f.op === 'in' && !(f.column in out) && /^\(.*\)$/.test(f.value))
      out[f.column] = f.value.slice(1, -1).split(',');
    else all = false;
  }
  return { filters: out, all };
}

/** The four calls, as text to show and copy. */
export function apiCalls(baseUrl: string, v: ApiView) {
  const path = `${baseUrl}/api/v1/tables/${v.distributionId}/rows`;
  const params: [string, string][] = [...v.query, ['limit', LIMIT]];
  const url = `${path}?${new URLSearchParams(params)}`;
  const ckan = ckanFilters(v.filters);
  const ckanParams: [string, string][] = [
    ['resource_id', v.distributionId],
    ...(Object.keys(ckan.filters).length ? ([['filters', JSON.stringify(ckan.filters)]] as [string, string][]) : []),
    ...(v.order ? ([['sort', `${v.order.column} ${v.order.desc ? 'desc' : 'asc'}`]] as [string, string][]) : []),
    ['limit', LIMIT],
  ];
  const ckanUrl = `${baseUrl}/api/3/action/datastore_search?${new URLSearchParams(ckanParams)}`;
  return {
    curl: `curl '${url}'`,
    python: [
      'import requests',
      '',
      `params = [${params.map(([k, x]) => `(${py(k)}, ${py(x)})`).join(', ')}]`,
      `r = requests.get(${py(path)}, params=params)`,
      'r.raise_for_status()',
      "for row in r.json()['rows']:",
      '    print(row)',
    ].join('\n'),
    javascript: [
      `const url = new URL(${js(path)});`,
      `for (const [k, v] of ${JSON.stringify(params)}) url.searchParams.append(k, v);`,
      'const res = await fetch(url);',
      'const { rows } = await res.json();',
      'console.table(rows);',
    ].join('\n'),
    ckan: `curl '${ckanUrl}'`,
    ckanAll: ckan.all,
    url,
  };
}

export function TableApi({ ctx, view }: { ctx: PageContext; view: ApiView }) {
  const { t } = ctx;
  const calls = apiCalls(ctx.baseUrl, view);
  const block = (id: string, label: string, text: string) => (
    <div class="api-call">
      <h3 id={`api-${id}`}>{label}</h3>
      <pre tabindex={0}>
        <code>{text}</code>
      </pre>
    </div>
  );
  return (
    <section aria-labelledby="api-heading">
      <h2 id="api-heading">{t('table.api')}</h2>
      <p>{t('table.api.hint')}</p>
      {block('curl', 'curl', calls.curl)}
      {block('python', 'Python', calls.python)}
      {block('js', 'JavaScript', calls.javascript)}
      {block('ckan', t('table.api.ckan'), calls.ckan)}
      {!calls.ckanAll && <p class="hint">{t('table.api.ckanPartial')}</p>}
    </section>
  );
}
