/*
 * Builds, once, the map of the 34 provinces of 2025 (`data/seed/vn_provinces_2025_map.geojson`) from the 63
 * pre-2025 provinces of geoBoundaries (CC BY-SA 4.0) through the 2025 crosswalk (`data/seed/
 * vn_mapping_2025_new_to_old.json`): the 2025 reform merged whole provinces, so each new province is the union of
 * its old ones. The union is taken on the TopoJSON's arcs (an arc two merged provinces share is an inner border and
 * goes; the rest are stitched into rings), after simplifying each arc once, so neighbours still meet exactly.
 *
 *   node --import tsx scripts/build-province-map.ts ../shared/data/vn_provinces_63_geoboundaries_adm1_simplified.topojson
 *
 * The output is GeoJSON (longitude, latitude, two decimals: about a kilometre), a MultiPolygon per province whose
 * polygons are the rings as found (the renderer fills with even-odd, so a ring inside another is a hole).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fold } from '../src/platform/text.js';

type Point = [number, number];
interface Topology {
  arcs: Point[][];
  transform: { scale: Point; translate: Point };
  objects: Record<
    string,
    { geometries: { type: string; arcs: number[][] | number[][][]; properties: { shapeName: string } }[] }
  >;
}
interface Merges {
  data: { level1_id: string; name: string; merges: { name: string }[] }[];
}

/** Simplification tolerance in quantised units of the topology (about 0.013° × 0.0126°: roughly 1.4 km). */
const TOLERANCE = 100;
const OUT = path.resolve(import.meta.dirname, '../data/seed/vn_provinces_2025_map.geojson');

const [input] = process.argv.slice(2);
if (!input) throw new Error('usage: build-province-map.ts <geoBoundaries ADM1 TopoJSON>');
const topo = JSON.parse(fs.readFileSync(input, 'utf8')) as Topology;
const merges = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../data/seed/vn_mapping_2025_new_to_old.json'), 'utf8'),
) as Merges;

/** A province's name as a key: folded, without its unit type, letters only (`Thua Thien - Hue` → `thuathienhue`). */
const key = (name: string) =>
  fold(name)
    .replace(/^(thanh pho|tinh|tp\.)\s*/, '')
    .replace(/[^a-z]/g, '');
// the crosswalk calls old Thừa Thiên Huế by its new name (Thành phố Huế)
const ALIASES: Record<string, string> = { thuathienhue: 'hue' };

const newOf = new Map<string, { code: string; name: string }>();
for (const p of merges.data)
  for (const m of p.merges) newOf.set(key(m.name), { code: p.level1_id, name: p.name.replace(/^(Thành phố|Tỉnh) /, '') });

// the arcs, delta-decoded (quantised integers) and simplified once (Douglas–Peucker, ends kept)
function simplify(points: Point[]): Point[] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = points[a]!;
    const [bx, by] = points[b]!;
    const len = Math.hypot(bx - ax, by - ay);
    let worst = -1;
    let far = 0;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i]!;
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / len;
      if (d > far) {
        far = d;
        worst = i;
      }
    }
    if (worst >= 0 && far > TOLERANCE) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}
const arcs = topo.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return simplify(arc.map(([dx, dy]): Point => [(x += dx), (y += dy)]));
});
const directed = (i: number) => (i >= 0 ? arcs[i]! : [...arcs[~i]!].reverse());

// each new province: the directed arcs of its old provinces' rings, those used twice dropped
const groups = new Map<string, { name: string; arcs: number[] }>();
for (const g of Object.values(topo.objects)[0]!.geometries) {
  const k = key(g.properties.shapeName);
  const target = newOf.get(ALIASES[k] ?? k);
  if (!target) throw new Error(`no 2025 province for ${g.properties.shapeName}`);
  const rings = (g.type === 'Polygon' ? [g.arcs] : g.arcs) as number[][][];
  const group = groups.get(target.code) ?? { name: target.name, arcs: [] };
  for (const polygon of rings) for (const ring of polygon) group.arcs.push(...ring);
  groups.set(target.code, group);
}
if (groups.size !== 34) throw new Error(`expected 34 provinces, found ${groups.size}`);

const pkey = (p: Point) => `${p[0]},${p[1]}`;
function stitch(ids: number[]): Point[][] {
  const uses = new Map<number, number>();
  for (const i of ids) uses.set(i < 0 ? ~i : i, (uses.get(i < 0 ? ~i : i) ?? 0) + 1);
  const outer = ids.filter((i) => uses.get(i < 0 ? ~i : i) === 1).map(directed);
  const byStart = new Map<string, Point[][]>();
  for (const a of outer) byStart.set(pkey(a[0]!), [...(byStart.get(pkey(a[0]!)) ?? []), a]);
  const used = new Set<Point[]>();
  const rings: Point[][] = [];
  for (const first of outer) {
    if (used.has(first)) continue;
    used.add(first);
    const ring = [...first];
    for (let guard = 0; pkey(ring[ring.length - 1]!) !== pkey(ring[0]!) && guard < outer.length; guard++) {
      const next = byStart.get(pkey(ring[ring.length - 1]!))?.find((a) => !used.has(a));
      if (!next) throw new Error('an open ring');
      used.add(next);
      ring.push(...next.slice(1));
    }
    rings.push(ring);
  }
  return rings;
}

const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;
const round = (n: number) => Math.round(n * 100) / 100;
const features = [...groups.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([code, g]) => {
    const rings = stitch(g.arcs)
      .map((ring) =>
        ring
          .map(([x, y]): Point => [round(x * sx + tx), round(y * sy + ty)])
          .filter((p, i, all) => i === 0 || pkey(p) !== pkey(all[i - 1]!)),
      )
      // a ring simplified to a sliver (a small islet) is left out
      .filter((ring) => ring.length >= 4);
    return {
      type: 'Feature',
      properties: { code, name: g.name },
      geometry: { type: 'MultiPolygon', coordinates: rings.map((r) => [r]) },
    };
  });
fs.writeFileSync(
  OUT,
  `${JSON.stringify({
    type: 'FeatureCollection',
    license: 'CC BY-SA 4.0',
    attribution: 'geoBoundaries (Runfola et al.), Open Development Mekong; merged to the 34 provinces of 2025 by ndp',
    features,
  })}\n`,
);
console.log(`${OUT}: ${features.length} provinces, ${fs.statSync(OUT).size} bytes`);
