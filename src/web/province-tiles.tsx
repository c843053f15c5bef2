/**
 * A tile map of the 34 provinces of 2025: one equal square per province,
 * placed on a grid roughly where the province lies (north at the top), so a
 * figure per province code can be seen at a glance without boundary data.
 * It is a schematic, said so in its caption, not a geographic map. Drawn as
 * SVG on the server (no script, and no inline style under the page's CSP).
 */
const TILES: Record<string, [col: number, row: number, name: string]> = {
  '12': [1, 0, 'Lai Châu'],
  '15': [2, 0, 'Lào Cai'],
  '08': [3, 0, 'Tuyên Quang'],
  '04': [4, 0, 'Cao Bằng'],
  '11': [0, 1, 'Điện Biên'],
  '14': [1, 1, 'Sơn La'],
  '25': [2, 1, 'Phú Thọ'],
  '19': [3, 1, 'Thái Nguyên'],
  '20': [4, 1, 'Lạng Sơn'],
  '01': [2, 2, 'Hà Nội'],
  '24': [3, 2, 'Bắc Ninh'],
  '22': [4, 2, 'Quảng Ninh'],
  '37': [2, 3, 'Ninh Bình'],
  '33': [3, 3, 'Hưng Yên'],
  '31': [4, 3, 'Hải Phòng'],
  '38': [2, 4, 'Thanh Hóa'],
  '40': [2, 5, 'Nghệ An'],
  '42': [3, 6, 'Hà Tĩnh'],
  '44': [3, 7, 'Quảng Trị'],
  '46': [4, 8, 'Huế'],
  '48': [4, 9, 'Đà Nẵng'],
  '51': [4, 10, 'Quảng Ngãi'],
  '52': [4, 11, 'Gia Lai'],
  '66': [3, 12, 'Đắk Lắk'],
  '56': [4, 12, 'Khánh Hòa'],
  '68': [3, 13, 'Lâm Đồng'],
  '80': [1, 14, 'Tây Ninh'],
  '75': [2, 14, 'Đồng Nai'],
  '79': [3, 14, 'Hồ Chí Minh'],
  '91': [0, 15, 'An Giang'],
  '82': [1, 15, 'Đồng Tháp'],
  '86': [2, 15, 'Vĩnh Long'],
  '92': [1, 16, 'Cần Thơ'],
  '96': [1, 17, 'Cà Mau'],
};
const PALETTE = ['#dbeafe', '#93c5fd', '#3b82f6', '#1d4ed8', '#1e3a8a'];
const W = 110;
const H = 46;

/** A code as a province code of 2025 (`1` and `01` alike), or null; longer codes (districts, communes) are not provinces. */
export function provinceCode(label: string): string | null {
  const t = label.trim();
  if (!/^\d{1,2}$/.test(t)) return null;
  const code = t.padStart(2, '0');
  return code in TILES ? code : null;
}

/** Whether most of these labels are province codes: then the tile map fits. */
export const tilesFit = (labels: string[]) =>
  labels.length > 0 && labels.filter((l) => provinceCode(l)).length >= labels.length / 2;

export function ProvinceTiles({
  labels,
  values,
  title,
  format,
}: {
  labels: string[];
  values: number[];
  title: string;
  format: (n: number) => string;
}) {
  const byCode = new Map<string, number>();
  labels.forEach((l, i) => {
    const c = provinceCode(l);
    if (c) byCode.set(c, (byCode.get(c) ?? 0) + (values[i] ?? 0));
  });
  const sorted = [...byCode.values()].sort((a, b) => a - b);
  // five classes by quantile: a few very large provinces do not wash the rest out
  const cut = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const breaks = [0.2, 0.4, 0.6, 0.8].map(cut);
  const klass = (v: number) => breaks.filter((b) => v > b).length;
  return (
    <svg viewBox={`0 0 ${5 * W + 10} ${18 * H + 10}`} role="img" aria-label={title} class="province-tiles">
      <title>{title}</title>
      {Object.entries(TILES).map(([code, [col, row, name]]) => {
        const v = byCode.get(code);
        const k = v === undefined ? -1 : klass(v);
        return (
          <g>
            <rect
              x={5 + col * W}
              y={5 + row * H}
              width={W - 4}
              height={H - 4}
              rx={3}
              fill={k < 0 ? '#f1f5f9' : PALETTE[k]}
              stroke="#94a3b8"
              stroke-width={0.5}
            />
            <text
              x={5 + col * W + (W - 4) / 2}
              y={5 + row * H + 17}
              text-anchor="middle"
              font-size="11"
              fill={k >= 3 ? '#ffffff' : '#0f172a'}
            >
              {name}
            </text>
            <text
              x={5 + col * W + (W - 4) / 2}
              y={5 + row * H + 33}
              text-anchor="middle"
              font-size="11"
              font-weight="bold"
              fill={k >= 3 ? '#ffffff' : '#0f172a'}
            >
              {v === undefined ? '—' : format(v)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
