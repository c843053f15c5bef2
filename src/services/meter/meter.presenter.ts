import type { Holder, Remedy, ShareRow, Shares, TypedField } from './meter.service.js';

/** A share to four decimals (0.8333): enough for a percentage with two, and the same in the JSON and the CSV. */
const rounded = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

function presentRow(r: ShareRow) {
  return {
    id: r.id,
    code: r.code,
    slug: r.slug,
    name_vi: r.name_vi,
    name_en: r.name_en,
    dossiers: r.dossiers,
    fields: r.fields,
    reused: r.reused,
    typed: r.typed,
    share: rounded(r.share),
    meets_goal: r.meets_goal,
  };
}

/** The meter's figures as the API shows them: aggregates only. */
export function presentShares(s: Shares) {
  const { id: _id, code: _code, slug: _slug, name_vi: _vi, name_en: _en, ...total } = presentRow(s.total);
  return { goal: s.goal, by: s.by, total, rows: s.rows.map(presentRow) };
}

const CSV_COLUMNS = [
  'id',
  'code',
  'name_vi',
  'name_en',
  'dossiers',
  'fields',
  'reused',
  'typed',
  'share',
  'meets_goal',
];

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The rows as CSV, with a BOM so that Excel opens Vietnamese names as UTF-8. */
export function sharesCsv(s: Shares): string {
  const rows = s.rows.map(presentRow).map((r) => CSV_COLUMNS.map((c) => cell(r[c as keyof typeof r])).join(','));
  return `\ufeff${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

export function presentTyped(xs: TypedField[]) {
  return xs.map((x) => ({
    procedure: {
      id: x.procedure.id,
      code: x.procedure.code,
      name_vi: x.procedure.name.vi,
      name_en: x.procedure.name.en,
    },
    key: x.key,
    label_vi: x.label.vi,
    label_en: x.label.en,
    element: x.element,
    typed: x.typed,
    reasons: x.reasons,
    remedy: presentRemedy(x.remedy),
  }));
}

const presentHolder = (h: Holder) => ({
  kind: h.kind,
  element: h.element,
  agency_id: h.agencyId,
  ...(h.kind === 'register' ? { database_id: h.databaseId } : { procedure_code: h.procedureCode }),
  name_vi: h.name.vi,
  name_en: h.name.en,
});

/** What would remove the typing, in the API's words: `held`/`bind` name the holder, `unheld` the element. */
function presentRemedy(r: Remedy) {
  switch (r.kind) {
    case 'held':
    case 'bind':
      return { kind: r.kind, holder: presentHolder(r.holder) };
    case 'unheld':
      return { kind: r.kind, element: r.element, label_vi: r.label.vi, label_en: r.label.en };
    default:
      return { kind: r.kind };
  }
}
