import type { LoadedColumn } from '../../datastore/load/loader.js';
import type { Check, CheckResult } from './quality.schema.js';

/**
 * Checks that compare a version of a table with what came before: schema
 * drift (columns and types) and distribution anomalies by robust z-score
 * (median and median absolute deviation, so that one earlier outlier does not
 * hide the next). Pure: the service supplies the earlier facts.
 */
type SchemaCheck = Extract<Check, { type: 'schema' }>;
type AnomalyCheck = Extract<Check, { type: 'anomaly' }>;

export function schemaDrift(
  check: SchemaCheck,
  current: LoadedColumn[],
  previous: { id: string; type: string }[] | null,
): CheckResult {
  const expected = check.columns ?? previous;
  if (!expected) {
    return {
      check,
      status: 'error',
      message: {
        vi: 'Không đánh giá được: chưa có phiên bản trước để so sánh, và bộ kiểm tra không liệt kê cột.',
        en: 'Could not be evaluated: there is no earlier version to compare with, and the check lists no columns.',
      },
    };
  }
  const now = new Map(current.map((c) => [c.id, c.type]));
  const before = new Map(expected.map((c) => [c.id, c.type]));
  const removed = [...before.keys()].filter((id) => !now.has(id));
  const added = [...now.keys()].filter((id) => !before.has(id));
  const retyped = [...before.entries()]
    .filter(([id, type]) => now.has(id) && now.get(id) !== type)
    .map(([id, type]) => ({ id, from: type, to: now.get(id)! }));
  const failures = removed.length + added.length + retyped.length;
  const against = check.columns
    ? { vi: 'danh sách cột đã khai', en: 'the declared columns' }
    : { vi: 'phiên bản trước', en: 'the previous version' };
  const parts = { vi: [] as string[], en: [] as string[] };
  if (removed.length) {
    parts.vi.push(`mất cột ${removed.join(', ')}`);
    parts.en.push(`columns removed: ${removed.join(', ')}`);
  }
  if (added.length) {
    parts.vi.push(`thêm cột ${added.join(', ')}`);
    parts.en.push(`columns added: ${added.join(', ')}`);
  }
  for (const r of retyped) {
    parts.vi.push(`cột ${r.id} đổi kiểu ${r.from} → ${r.to}`);
    parts.en.push(`column ${r.id} changed type ${r.from} → ${r.to}`);
  }
  return {
    check,
    status: failures ? 'failed' : 'passed',
    failures,
    observed: { removed, added, retyped },
    ...(failures ? { error_type: 'schema-error' } : {}),
    message: failures
      ? {
          vi: `Cấu trúc bảng khác ${against.vi}: ${parts.vi.join('; ')}. Hãy khôi phục cột hoặc cập nhật lược đồ và báo cho người dùng.`,
          en: `The table differs from ${against.en}: ${parts.en.join('; ')}. Restore the columns or update the schema and tell its users.`,
        }
      : { vi: `Cấu trúc bảng khớp ${against.vi}.`, en: `The table matches ${against.en}.` },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The metric's value now against its values in earlier versions. */
export function anomaly(check: AnomalyCheck, value: number | null, history: number[]): CheckResult {
  const need = check.min_history ?? 5;
  const threshold = check.threshold ?? 3.5;
  const what = `${check.metric}${check.column ? ` (${check.column})` : ''}`;
  if (value === null) {
    return {
      check,
      status: 'error',
      message: {
        vi: `Không đánh giá được: ${what} không có giá trị.`,
        en: `Could not be evaluated: ${what} has no value.`,
      },
    };
  }
  if (history.length < need) {
    return {
      check,
      status: 'error',
      observed: { value, history: history.length },
      message: {
        vi: `Chưa đủ lịch sử để đánh giá ${what}: cần ${need} phiên bản trước, mới có ${history.length}.`,
        en: `Not enough history to judge ${what}: ${need} earlier versions needed, ${history.length} so far.`,
      },
    };
  }
  const m = median(history);
  const mad = median(history.map((x) => Math.abs(x - m)));
  // 0.6745 makes the MAD comparable to a standard deviation for normal data (Iglewicz and Hoaglin)
  const z = mad === 0 ? (value === m ? 0 : Infinity) : (0.6745 * (value - m)) / mad;
  const ok = Math.abs(z) <= threshold;
  const shown = Number.isFinite(z) ? Math.round(z * 100) / 100 : null;
  return {
    check,
    status: ok ? 'passed' : 'failed',
    observed: { value, median: m, mad, z: shown, history: history.length },
    ...(ok ? {} : { error_type: 'anomaly' }),
    message: ok
      ? {
          vi: `${what} = ${value}, trong mức thường thấy (trung vị ${m}, z = ${shown}).`,
          en: `${what} = ${value}, as usual (median ${m}, z = ${shown}).`,
        }
      : {
          vi: `${what} = ${value} bất thường so với ${history.length} phiên bản trước (trung vị ${m}, z = ${shown ?? '∞'}): hãy kiểm tra dữ liệu nguồn.`,
          en: `${what} = ${value} is unusual against ${history.length} earlier versions (median ${m}, z = ${shown ?? '∞'}): check the source data.`,
        },
  };
}
