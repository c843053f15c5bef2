import type { TableRow, DatastoreService } from '../datastore/query/datastore.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { LoadedColumn } from '../datastore/load/loader.js';
import { parseView, type View } from '../datastore/query/view.js';
import type { T } from './i18n.js';
import { codesFit, PROVINCES, provinceCode } from './province-map.js';
import type { ChartData, ChartSpec, MapHelp } from './pages/table.js';

/*
 * A table page's chart: grouped figures for a bar, line or pie chart; points for the point map; and a figure per
 * province of 2025 for the province map, read from a column of province codes, of commune codes (added up into
 * their province) or of province names (those of 2025 and the 63 before, through the 2025 crosswalk). When the
 * province map cannot be drawn, the page says why and names the columns it could use instead.
 */

const CHART_GROUPS = 50;
const MAP_POINTS = 2000;
/** groups read for the province map: every commune of the country, with room to spare */
const MAP_GROUPS = 5000;
const LAT = /^(lat|latitude|vi_do)$/;
const LON = /^(lon|lng|longitude|kinh_do)$/;
export const KINDS = ['bar', 'line', 'pie', 'tiles', 'map'] as const;

/** What the province map can read from a column's values: province codes, commune codes or province names. */
export type ProvinceSource = 'codes' | 'communes' | 'names';

/** The native API query that computes a chart's values. */
export function chartApiQuery(spec: ChartSpec): [string, string][] {
  if (spec.kind === 'map') return [];
  const [fn, col] = spec.y.split(':');
  return [
    ['group_by', spec.x],
    ...(fn === 'count' ? ([['count', '']] as [string, string][]) : ([[fn!, col!]] as [string, string][])),
  ];
}

export const canMapPoints = (columns: LoadedColumn[]) =>
  columns.some((c) => c.type === 'geometry') ||
  (columns.some((c) => LAT.test(c.id)) && columns.some((c) => LON.test(c.id)));

function mapPoints(columns: LoadedColumn[], rows: Record<string, unknown>[]): [number, number, string][] {
  const geometry = columns.find((c) => c.type === 'geometry');
  const lat = columns.find((c) => LAT.test(c.id));
  const lon = columns.find((c) => LON.test(c.id));
  const label = columns.find((c) => c.type === 'text');
  return rows.flatMap((r): [number, number, string][] => {
    const name = label ? String(r[label.id] ?? '') : '';
    const g = geometry ? (r[geometry.id] as { type?: string; coordinates?: number[] } | null) : null;
    if (g?.type === 'Point' && g.coordinates) return [[Number(g.coordinates[0]), Number(g.coordinates[1]), name]];
    if (lat && lon && r[lat.id] !== null && r[lon.id] !== null) return [[Number(r[lon.id]), Number(r[lat.id]), name]];
    return [];
  });
}

/**
 * Each label's 2025 province (or null), and how they were read; null when fewer than half of the labels are
 * provinces by any reading.
 */
async function provincesOf(
  labels: string[],
  masterData: MasterDataService | undefined,
): Promise<{ codes: (string | null)[]; via: ProvinceSource } | null> {
  if (codesFit(labels)) return { codes: labels.map(provinceCode), via: 'codes' };
  if (!masterData || !labels.length) return null;
  const enough = (codes: (string | null)[]) => codes.filter(Boolean).length >= labels.length / 2;
  if (labels.some((l) => /^\d{4,5}$/.test(l.trim()))) {
    const key = (l: string) => l.trim().padStart(5, '0');
    const units = await masterData.unitsByCodes(labels.map(key));
    const province = new Map(
      units.filter((u) => u.level === 'commune' && u.province_code).map((u) => [u.code, u.province_code!]),
    );
    const codes = labels.map((l) => province.get(key(l)) ?? null);
    if (enough(codes)) return { codes, via: 'communes' };
  }
  const names = await masterData.placeNames();
  const codes = labels.map((l) => {
    const r = names.resolve(l, 'province', { prefer: '2025', target: '2025' });
    return 'code' in r ? r.code : null;
  });
  return enough(codes) ? { codes, via: 'names' } : null;
}

/** A column whose name says it holds codes (`ma_tinh`, `province_code`, `ma_xa`). */
const CODE_NAME = /(^|_)(ma|code|ma_tinh|ma_xa)(_|$)/;

/**
 * The columns whose first values the province map can read. A column of whole numbers counts only when its name says
 * it holds codes: a column of counts from 1 to 99 would read as province codes, and a population as a commune code.
 */
export async function usableColumns(
  columns: { column: LoadedColumn; title: string }[],
  rows: Record<string, unknown>[],
  masterData: MasterDataService | undefined,
): Promise<MapHelp['usable']> {
  const out: MapHelp['usable'] = [];
  for (const { column, title } of columns) {
    if (column.type !== 'text' && !CODE_NAME.test(column.id)) continue;
    const values = [
      ...new Set(rows.map((r) => r[column.id]).filter((v) => v !== null && v !== undefined && v !== '')),
    ].map(String);
    const found = values.length ? await provincesOf(values.slice(0, CHART_GROUPS), masterData) : null;
    if (found) out.push({ id: column.id, title, via: found.via });
  }
  return out;
}

export interface ChartRequest {
  table: TableRow;
  /** the view's own query (filters, order), for the aggregate */
  viewQuery: Record<string, string | string[] | undefined>;
  view: View;
  spec: ChartSpec;
  groups: LoadedColumn[];
  numbers: LoadedColumn[];
  /** the page's first rows: where the map looks for columns it can use */
  rows: Record<string, unknown>[];
  title: (c: LoadedColumn) => string;
  t: T;
}

/** The chart asked for, or why the province map cannot draw it (and what it could draw instead). */
export async function tableChart(
  datastore: DatastoreService,
  masterData: MasterDataService | undefined,
  r: ChartRequest,
): Promise<{ chart: ChartData | null; mapHelp: MapHelp | null }> {
  const { spec, t } = r;
  const yColumn =
    spec.y === 'count' ? null : r.numbers.find((c) => `sum:${c.id}` === spec.y || `avg:${c.id}` === spec.y);
  const xColumn = r.groups.find((c) => c.id === spec.x);
  if (spec.kind === 'map') {
    if (!canMapPoints(r.table.columns)) return { chart: null, mapHelp: null };
    const sample = await datastore.sample(r.table, { ...r.view, select: r.table.columns }, MAP_POINTS);
    const points = mapPoints(r.table.columns, sample);
    return {
      chart: { spec, labels: [], values: [], points, xLabel: t('table.chart.lon'), yLabel: t('table.chart.lat') },
      mapHelp: null,
    };
  }
  if (!KINDS.includes(spec.kind) || !xColumn || (spec.y !== 'count' && !yColumn)) return { chart: null, mapHelp: null };
  const agg = parseView(
    r.table.columns,
    {
      ...Object.fromEntries(chartApiQuery(spec)),
      ...Object.fromEntries(Object.entries(r.viewQuery).filter(([k]) => k !== 'order' && k !== 'after')),
    },
    null,
  );
  const out = await datastore.aggregate(r.table, agg, spec.kind === 'tiles' ? MAP_GROUPS : CHART_GROUPS);
  const name = agg.aggregates[0]?.name ?? 'count';
  const chart: ChartData = {
    spec,
    labels: out.map((row) => String(row[xColumn.id] ?? '—')),
    values: out.map((row) => Number(row[name] ?? 0)),
    xLabel: r.title(xColumn),
    yLabel:
      spec.y === 'count'
        ? t('table.chart.count')
        : `${t(spec.y.startsWith('sum') ? 'table.chart.sum' : 'table.chart.avg')} ${r.title(yColumn!)}`,
  };
  if (spec.kind !== 'tiles') {
    chart.labels = chart.labels.slice(0, CHART_GROUPS);
    chart.values = chart.values.slice(0, CHART_GROUPS);
    return { chart, mapHelp: null };
  }
  const found = await provincesOf(chart.labels, masterData);
  const sums = new Map<string, number>();
  const seen = new Map<string, number>();
  found?.codes.forEach((code, i) => {
    if (!code) return;
    sums.set(code, (sums.get(code) ?? 0) + chart.values[i]!);
    seen.set(code, (seen.get(code) ?? 0) + 1);
  });
  // averages cannot be added up: an average map needs one group per province
  const merged = [...seen.values()].some((n) => n > 1);
  if (!found || (merged && spec.y.startsWith('avg'))) {
    const others = r.groups.filter((c) => c.id !== xColumn.id).map((c) => ({ column: c, title: r.title(c) }));
    return {
      chart: null,
      mapHelp: {
        column: r.title(xColumn),
        reason: found ? 'average' : 'none',
        usable: await usableColumns(others, r.rows, masterData),
      },
    };
  }
  return {
    chart: {
      ...chart,
      labels: [...sums.keys()].map((code) => PROVINCES.get(code) ?? code),
      values: [...sums.values()],
      provinces: Object.fromEntries(sums),
      xLabel: merged ? `${chart.xLabel} → ${t('table.chart.byProvince')}` : chart.xLabel,
    },
    mapHelp: null,
  };
}
