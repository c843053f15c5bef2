import fs from 'node:fs';

/*
 * A choropleth of the 34 provinces of 2025, drawn as SVG on the server: one path per province, coloured by five
 * value classes, with its legend and its credit. No script and no map library: the boundaries are a small GeoJSON
 * (`data/seed/vn_provinces_2025_map.geojson`, built once by `scripts/build-province-map.ts` from geoBoundaries,
 * CC BY-SA 4.0), projected here once at start. No inline style (the page's CSP forbids it).
 */

interface Feature {
  properties: { code: string; name: string };
  geometry: { coordinates: [number, number][][][] };
}
const GEO = JSON.parse(
  fs.readFileSync(new URL('../../data/seed/vn_provinces_2025_map.geojson', import.meta.url), 'utf8'),
) as { features: Feature[] };

// an equirectangular projection true at 16° N (the country's middle): fine at this scale
const K = 24;
const COS = Math.cos((16 * Math.PI) / 180);
const WEST = 102;
const NORTH = 23.5;
const project = ([lon, lat]: [number, number]): [number, number] => [
  Math.round((lon - WEST) * COS * K),
  Math.round((NORTH - lat) * K),
];

/** A ring as SVG path data in whole units, each step relative to the last (small: the map is part of the page). */
function ringPath(ring: [number, number][]): string {
  const points = ring.map(project);
  let [x, y] = points[0]!;
  let d = `M${x} ${y}`;
  let steps = 0;
  for (const [px, py] of points.slice(1)) {
    if (px === x && py === y) continue;
    d += `l${px - x} ${py - y}`.replace(/ -/g, '-');
    [x, y] = [px, py];
    steps++;
  }
  return steps >= 2 ? `${d}z` : '';
}

/** Each province's outline as SVG path data, by its 2025 code. */
const PATHS = new Map(
  GEO.features.map((f) => [
    f.properties.code,
    { name: f.properties.name, d: f.geometry.coordinates.map((poly) => poly.map(ringPath).join('')).join('') },
  ]),
);
const WIDTH = Math.ceil((117.2 - WEST) * COS * K);
const HEIGHT = Math.ceil((NORTH - 6.8) * K);

const PALETTE = ['#dbeafe', '#93c5fd', '#3b82f6', '#1d4ed8', '#1e3a8a'];
const NONE = '#f1f5f9';

/** The 2025 provinces' codes, with their names. */
export const PROVINCES: ReadonlyMap<string, string> = new Map([...PATHS].map(([code, p]) => [code, p.name]));

/** A code as a province code of 2025 (`1` and `01` alike), or null; longer codes (districts, communes) are not provinces. */
export function provinceCode(label: string): string | null {
  const t = label.trim();
  if (!/^\d{1,2}$/.test(t)) return null;
  const code = t.padStart(2, '0');
  return PATHS.has(code) ? code : null;
}

/** Whether most of these labels are province codes. */
export const codesFit = (labels: string[]) =>
  labels.length > 0 && labels.filter((l) => provinceCode(l)).length >= labels.length / 2;

/** Five classes by quantile (a few very large provinces do not wash the rest out), as their lower and upper bounds. */
export function classes(values: number[]): [number, number][] {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return [];
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const bounds = [sorted[0]!, at(0.2), at(0.4), at(0.6), at(0.8), sorted[sorted.length - 1]!];
  const out: [number, number][] = [];
  for (let i = 0; i < 5; i++) if (i === 0 || bounds[i + 1]! > bounds[i]!) out.push([bounds[i]!, bounds[i + 1]!]);
  return out;
}

export function ProvinceMap({
  byCode,
  title,
  format,
  labels,
}: {
  /** a figure per 2025 province code */
  byCode: Map<string, number>;
  title: string;
  format: (n: number) => string;
  labels: { legend: string; noData: string; credit: string };
}) {
  const bands = classes([...byCode.values()]);
  // a value's class: the last band whose lower bound it reaches
  const klass = (v: number) => bands.reduce((k, [lo], i) => (v >= lo ? i : k), 0);
  const colour = (i: number) => PALETTE[bands.length === 1 ? 2 : Math.round((i * 4) / Math.max(1, bands.length - 1))]!;
  return (
    <div class="province-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="province-map-title">
        <title id="province-map-title">{title}</title>
        {[...PATHS].map(([code, p]) => {
          const v = byCode.get(code);
          return (
            <path
              d={p.d}
              fill={v === undefined ? NONE : colour(klass(v))}
              fill-rule="evenodd"
              stroke="#64748b"
              stroke-width={0.6}
              data-code={code}
            >
              <title>{`${p.name}: ${v === undefined ? '—' : format(v)}`}</title>
            </path>
          );
        })}
      </svg>
      <ul class="map-legend" aria-label={labels.legend}>
        {bands.map(([lo, hi], i) => (
          <li>
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <rect width="16" height="16" fill={colour(i)} stroke="#64748b" stroke-width={0.5} />
            </svg>{' '}
            {lo === hi ? format(lo) : `${format(lo)} – ${format(hi)}`}
          </li>
        ))}
        <li>
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <rect width="16" height="16" fill={NONE} stroke="#64748b" stroke-width={0.5} />
          </svg>{' '}
          {labels.noData}
        </li>
      </ul>
      <p class="hint map-credit">{labels.credit}</p>
    </div>
  );
}
