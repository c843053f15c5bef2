import type { TableRow } from '../../datastore/query/datastore.service.js';
import type { QualityRepository } from './quality.repository.js';
import { MAX_CHECKS, type Check, type Suite } from './quality.schema.js';

const NUMERIC = new Set(['integer', 'number']);
const pct = (n: number, of: number) => (of ? Math.round((n / of) * 10000) / 100 : 0);

/**
 * A suite suggested from the data's own profile, as Deequ does, for the
 * publisher to read, edit and accept: what holds today becomes the rule.
 */
export function suggestSuite(table: TableRow, profile: Awaited<ReturnType<QualityRepository['profile']>>): Suite {
  const checks: Check[] = [{ type: 'row_count', min: 1 }];
  for (const c of profile.columns) {
    const column = table.columns.find((x) => x.id === c.id)!;
    checks.push(
      c.nulls === 0
        ? { type: 'missing', column: c.id, max_count: 0 }
        : { type: 'missing', column: c.id, max_percent: Math.min(100, Math.ceil(pct(c.nulls, profile.rows))) },
    );
    if (c.distinct === profile.rows - c.nulls && profile.rows > 1 && c.nulls === 0 && column.type !== 'number')
      checks.push({ type: 'duplicates', columns: [c.id] });
    if (NUMERIC.has(column.type) && c.min !== null)
      checks.push({ type: 'bounds', column: c.id, min: Math.min(0, Number(c.min)), max: Number(c.max) });
    if (/^(ma_)?(tinh|province)(_code)?$|^ma_tinh/.test(c.id))
      checks.push({ type: 'code_list', column: c.id, list: 'vn-provinces' });
    else if (/^(ma_)?(xa|commune)(_code)?$|^ma_xa/.test(c.id))
      checks.push({ type: 'code_list', column: c.id, list: 'vn-communes' });
    else if (/(^|_)(mst|ma_so_thue)($|_)/.test(c.id)) checks.push({ type: 'format', column: c.id, format: 'mst' });
    else if (/(^|_)(cccd|so_dinh_danh|can_cuoc)($|_)/.test(c.id))
      checks.push({ type: 'format', column: c.id, format: 'cccd' });
    else if (/(^|_)(dien_thoai|sdt|phone)($|_)/.test(c.id))
      checks.push({ type: 'format', column: c.id, format: 'phone_vn' });
    else if (/(^|_)(email|thu_dien_tu)($|_)/.test(c.id)) checks.push({ type: 'format', column: c.id, format: 'email' });
    else if (
      column.type === 'text' &&
      c.values.length > 0 &&
      c.values.length <= 20 &&
      profile.rows >= 5 * c.values.length
    )
      checks.push({ type: 'in_set', column: c.id, values: c.values });
  }
  return { checks: withinCap(checks) };
}

/**
 * What the product suggests it must accept: past the cap (a table of some 400 columns and more), the missing-cell
 * guards go first (completeness is measured from the data whatever the suite says), then the last columns' checks.
 */
function withinCap(checks: Check[]): Check[] {
  if (checks.length <= MAX_CHECKS) return checks;
  const fewer = checks.filter((c) => c.type !== 'missing');
  return fewer.slice(0, MAX_CHECKS);
}
