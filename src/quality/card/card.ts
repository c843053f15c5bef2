import type { CheckResult } from '../checks/quality.schema.js';
import type { Indicator } from './mqa.js';

/**
 * The quality card: the nine dimensions Decision 1437/QĐ-TTg (II.2.d) asks
 * agencies to evaluate, each scored 0–100 from what the platform knows —
 * the latest check run of every loaded file, the loads themselves, the
 * declared update frequency, the MQA metadata indicators, link probes. A
 * dimension with nothing to measure it says so (null) and earns nothing in
 * the overall score, which is over all nine: nothing passes silently, and
 * nothing scores high by default (calibration: docs/QUALITY-REPORT.md). Every shortfall becomes a sentence with its fix and
 * what fixing it would gain on the overall score. Pure: the service gathers.
 */
export const DIMENSIONS = [
  { id: 'accuracy', vi: 'Chính xác', en: 'Accuracy' },
  { id: 'integrity', vi: 'Toàn vẹn', en: 'Integrity' },
  { id: 'completeness', vi: 'Đầy đủ', en: 'Completeness' },
  { id: 'availability', vi: 'Sẵn sàng', en: 'Availability' },
  { id: 'timeliness', vi: 'Kịp thời', en: 'Timeliness' },
  { id: 'inventory', vi: 'Khả năng kiểm kê', en: 'Ability for inventory' },
  { id: 'usability', vi: 'Khả dụng', en: 'Usability' },
  { id: 'uniqueness', vi: 'Duy nhất', en: 'Uniqueness' },
  { id: 'unusual', vi: 'Dữ liệu bất thường', en: 'Unusual data' },
] as const;
export type DimensionId = (typeof DIMENSIONS)[number]['id'];

/** Which dimension each check type measures (`missing` guards completeness without scoring it). */
export const CHECK_DIMENSION: Record<string, DimensionId> = {
  missing: 'completeness',
  format: 'accuracy',
  pattern: 'accuracy',
  in_set: 'accuracy',
  code_list: 'accuracy',
  bounds: 'accuracy',
  structure: 'integrity',
  row_count: 'integrity',
  reference: 'integrity',
  schema: 'integrity',
  duplicates: 'uniqueness',
  freshness: 'timeliness',
  anomaly: 'unusual',
};
/** MQA's dimensions folded into the card's. */
const MQA_DIMENSION: Record<string, DimensionId> = {
  findability: 'inventory',
  contextuality: 'inventory',
  accessibility: 'availability',
  reusability: 'usability',
  interoperability: 'usability',
};

export interface CardInput {
  /** the latest run of each file that has a check suite */
  runs: { file: string; results: CheckResult[] }[];
  /** the current table version of each loaded file */
  tables: { file: string; rows: number; cells: number; missingCells: number; rejected: number }[];
  /** null: a link never probed */
  distributions: { file: string; kind: string; reachable: boolean | null }[];
  timeliness: { frequency: string; periodDays: number | null; due: Date | null; now: Date };
  mqa: { indicators: Indicator[] };
}

export interface CardIssue {
  dimension: DimensionId;
  vi: string;
  en: string;
  gain: number | null;
}
export interface Card {
  /** the mean of the nine dimensions, a dimension not measured counting 0; null when nothing is measured */
  overall: number | null;
  grade: string | null;
  /** how many of the nine dimensions are measured */
  measured: number;
  dimensions: { id: DimensionId; vi: string; en: string; score: number | null; basis: { vi: string; en: string } }[];
  issues: CardIssue[];
}

export const GRADES = [
  { min: 90, grade: 'A' },
  { min: 75, grade: 'B' },
  { min: 60, grade: 'C' },
  { min: 40, grade: 'D' },
  { min: 0, grade: 'E' },
] as const;
export const gradeOf = (score: number) => GRADES.find((g) => score >= g.min)!.grade;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A check's score: passed 100, failed by the share of rows that pass (a check with no row count: 0). */
function checkScore(r: CheckResult): number | null {
  if (r.status === 'error') return null;
  if (r.status === 'passed') return 100;
  if (r.rows_checked && r.failures !== undefined) return Math.max(0, 100 * (1 - r.failures / r.rows_checked));
  return 0;
}

export function qualityCard(input: CardInput): Card {
  // per dimension, the parts its score averages, each with the issue fixing it would resolve
  const parts = new Map<DimensionId, { score: number; weight: number; issue?: { vi: string; en: string } }[]>();
  const add = (d: DimensionId, score: number, issue?: { vi: string; en: string }, weight = 1) => {
    const list = parts.get(d) ?? [];
    list.push({ score, weight, ...(issue ? { issue } : {}) });
    parts.set(d, list);
  };
  const unscored: CardIssue[] = [];
  const basis = new Map<DimensionId, { vi: string[]; en: string[] }>();
  const because = (d: DimensionId, vi: string, en: string) => {
    const b = basis.get(d) ?? { vi: [], en: [] };
    if (!b.en.includes(en)) {
      b.vi.push(vi);
      b.en.push(en);
    }
    basis.set(d, b);
  };

  for (const run of input.runs) {
    for (const r of run.results) {
      const d = CHECK_DIMENSION[r.check.type];
      if (!d) continue;
      // completeness is measured from the data (the empty cells below); a missing-cell check only guards it against
      // getting worse, so it adds no points, and one that fails is said without a gain of its own
      if (r.check.type === 'missing') {
        if (r.status !== 'passed')
          unscored.push({
            dimension: d,
            vi: `${run.file}: ${r.message.vi}`,
            en: `${run.file}: ${r.message.en}`,
            gain: null,
          });
        continue;
      }
      const s = checkScore(r);
      if (s === null) {
        unscored.push({
          dimension: d,
          vi: `${run.file}: ${r.message.vi}`,
          en: `${run.file}: ${r.message.en}`,
          gain: null,
        });
        continue;
      }
      add(
        d,
        s,
        r.status === 'failed' ? { vi: `${run.file}: ${r.message.vi}`, en: `${run.file}: ${r.message.en}` } : undefined,
      );
      because(d, 'bộ kiểm tra của các tệp', "the files' check suites");
    }
  }
  for (const t of input.tables) {
    if (t.cells > 0) {
      const s = 100 * (1 - t.missingCells / t.cells);
      add(
        'completeness',
        s,
        t.missingCells
          ? {
              vi: `${t.file}: ${t.missingCells} ô trống trên ${t.cells} ô: hãy bổ sung hoặc ghi lý do thiếu.`,
              en: `${t.file}: ${t.missingCells} of ${t.cells} cells are empty: fill them or say why they are missing.`,
            }
          : undefined,
      );
      because('completeness', 'ô trống trong các bảng đã nạp', 'empty cells in the loaded tables');
    }
    const all = t.rows + t.rejected;
    if (all > 0) {
      add(
        'integrity',
        100 * (t.rows / all),
        t.rejected
          ? {
              vi: `${t.file}: ${t.rejected} dòng bị loại khi nạp: sửa theo báo cáo dòng bị loại rồi nạp lại.`,
              en: `${t.file}: ${t.rejected} rows were rejected by the load: fix them from the rejected-rows report and load again.`,
            }
          : undefined,
      );
      because('integrity', 'dòng bị loại khi nạp', 'rows rejected by the load');
    }
  }
  for (const x of input.distributions) {
    if (x.reachable === null) continue;
    add(
      'availability',
      x.reachable ? 100 : 0,
      x.reachable
        ? undefined
        : {
            vi: `${x.file}: liên kết không truy cập được khi kiểm tra: hãy sửa hoặc tải tệp lên.`,
            en: `${x.file}: the link did not answer when probed: fix it or upload the file.`,
          },
    );
    because(
      'availability',
      x.kind === 'file' ? 'tệp lưu trên nền tảng' : 'kiểm tra liên kết',
      x.kind === 'file' ? 'files stored by the platform' : 'link probes',
    );
  }

  const { timeliness: tl } = input;
  if (tl.due && tl.periodDays) {
    const late = (tl.now.getTime() - tl.due.getTime()) / 86_400_000;
    const days = Math.floor(late);
    add(
      'timeliness',
      late <= 0 ? 100 : Math.max(0, 100 * (1 - late / tl.periodDays)),
      late > 0
        ? {
            vi: `Quá hạn cập nhật ${days} ngày (hạn ${tl.due.toISOString().slice(0, 10)}, tần suất đã khai): hãy cập nhật dữ liệu.`,
            en: `${days} days overdue (due ${tl.due.toISOString().slice(0, 10)} by its declared frequency): update the data.`,
          }
        : undefined,
      2,
    );
    because('timeliness', 'tần suất cập nhật đã khai', 'the declared update frequency');
  } else {
    unscored.push({
      dimension: 'timeliness',
      vi: 'Chưa khai tần suất cập nhật: hãy khai để đo tính kịp thời.',
      en: 'No update frequency declared: declare one to measure timeliness.',
      gain: null,
    });
  }

  // MQA indicators, assessed ones only, each weighted by its points
  for (const i of input.mqa.indicators) {
    if (!i.assessed) continue;
    const d = MQA_DIMENSION[i.dimension]!;
    add(
      d,
      100 * (i.points / i.max),
      i.points < i.max
        ? {
            vi: `${i.vi} → +${round1(i.max - i.points)} điểm siêu dữ liệu`,
            en: `${i.en} → +${round1(i.max - i.points)} metadata points`,
          }
        : undefined,
      i.max,
    );
    because(d, 'chỉ số siêu dữ liệu MQA', 'MQA metadata indicators');
  }

  const scores = new Map<DimensionId, number>();
  for (const [d, list] of parts) {
    const w = list.reduce((s, p) => s + p.weight, 0);
    scores.set(d, list.reduce((s, p) => s + p.score * p.weight, 0) / w);
  }
  // the overall is over all nine dimensions: one not measured earns nothing (averaging the measured ones alone would
  // give it their mean, and a data set that measures nothing but its metadata would outrank one that checks its data)
  const measured = [...scores.values()];
  const overall = measured.length ? measured.reduce((a, b) => a + b, 0) / DIMENSIONS.length : null;

  const issues: CardIssue[] = [];
  for (const [d, list] of parts) {
    const w = list.reduce((s, p) => s + p.weight, 0);
    for (const p of list) {
      if (!p.issue) continue;
      // fixing it lifts this part to 100: the dimension by its share, the overall by one ninth of that
      const gain = ((100 - p.score) * p.weight) / w / DIMENSIONS.length;
      issues.push({ dimension: d, ...p.issue, gain: round1(gain) });
    }
  }
  for (const d of DIMENSIONS) {
    if (scores.has(d.id) || unscored.some((u) => u.dimension === d.id)) continue;
    unscored.push({ dimension: d.id, ...NOT_MEASURED[d.id], gain: null });
  }
  issues.sort((a, b) => (b.gain ?? -1) - (a.gain ?? -1));

  return {
    overall: overall === null ? null : round1(overall),
    grade: overall === null ? null : gradeOf(overall),
    measured: measured.length,
    dimensions: DIMENSIONS.map((d) => {
      const s = scores.get(d.id);
      const b = basis.get(d.id);
      return {
        id: d.id,
        vi: d.vi,
        en: d.en,
        score: s === undefined ? null : round1(s),
        basis: b
          ? { vi: `Đo từ: ${b.vi.join(', ')}.`, en: `Measured from ${b.en.join(', ')}.` }
          : { vi: 'Chưa đo được.', en: 'Not measured.' },
      };
    }),
    issues: [...issues, ...unscored],
  };
}

const NOT_MEASURED: Record<DimensionId, { vi: string; en: string }> = {
  accuracy: {
    vi: 'Chưa đo tính chính xác: thêm kiểm tra định dạng, danh mục hoặc khoảng giá trị (có bộ gợi ý từ hồ sơ dữ liệu).',
    en: 'Accuracy not measured: add format, code-list or bounds checks (a suite is suggested from the data profile).',
  },
  integrity: {
    vi: 'Chưa đo tính toàn vẹn: hãy nạp tệp dạng bảng vào kho dữ liệu.',
    en: 'Integrity not measured: load a tabular file into the DataStore.',
  },
  completeness: {
    vi: 'Chưa đo tính đầy đủ: hãy nạp tệp dạng bảng vào kho dữ liệu.',
    en: 'Completeness not measured: load a tabular file into the DataStore.',
  },
  availability: {
    vi: 'Chưa đo tính sẵn sàng: các liên kết chưa được kiểm tra.',
    en: 'Availability not measured: the links have not been probed yet.',
  },
  timeliness: { vi: 'Chưa đo tính kịp thời.', en: 'Timeliness not measured.' },
  inventory: { vi: 'Chưa đo khả năng kiểm kê.', en: 'Ability for inventory not measured.' },
  usability: { vi: 'Chưa đo tính khả dụng.', en: 'Usability not measured.' },
  uniqueness: {
    vi: 'Chưa đo tính duy nhất: thêm kiểm tra trùng lặp trên khóa của bảng.',
    en: "Uniqueness not measured: add a duplicates check on the table's key.",
  },
  unusual: {
    vi: 'Chưa đo dữ liệu bất thường: thêm kiểm tra bất thường so với lịch sử các lần chạy.',
    en: 'Unusual data not measured: add an anomaly check against the history of runs.',
  },
};
