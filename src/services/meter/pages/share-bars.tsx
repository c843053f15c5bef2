import type { PageContext } from '../../../web/context.js';
import { formatScore } from '../../../web/format.js';
import { REUSE_GOAL } from '../meter.service.js';

export interface Bar {
  label: string;
  share: number | null;
}

// as wide as a phone's screen, so its words read at their size there; wider screens cap it (`.share-bars`)
const WIDTH = 360;
const BAR = 290;
const ROW = 38;
const TOP = 18;

/** A share as a percentage with one decimal: 94,5% in Vietnamese, 94.5% in English. */
export const percent = (share: number | null, ctx: PageContext) =>
  share === null ? '—' : `${formatScore(share * 100, ctx.lang)}%`;

const short = (s: string) => (s.length > 52 ? `${s.slice(0, 51)}…` : s);

/**
 * Shares as horizontal bars drawn on the server, with the 80% goal as a line across them: no script, no inline style
 * (the pages' policy forbids both). The figures are in the table the page prints beside it.
 */
export function ShareBars({ ctx, bars, label }: { ctx: PageContext; bars: Bar[]; label: string }) {
  const goalX = REUSE_GOAL * BAR;
  const height = TOP + bars.length * ROW + 4;
  return (
    <svg role="img" aria-label={label} width="100%" viewBox={`0 0 ${WIDTH} ${height}`} class="share-bars">
      <rect x="0" y={TOP} width={BAR} height={bars.length * ROW} fill="#f1f5f9" />
      {bars.map((b, i) => {
        const y = TOP + i * ROW;
        const w = (b.share ?? 0) * BAR;
        const met = b.share !== null && b.share >= REUSE_GOAL;
        return (
          <g>
            <text x="4" y={y + 14} font-size="12" fill="#1f2937">
              {short(b.label)}
            </text>
            <rect x="0" y={y + 20} width={w} height="14" fill={met ? '#1b6e3a' : '#1d5fa8'} />
            <text x={w + 6} y={y + 32} font-size="12" fill="#1f2937">
              {percent(b.share, ctx)}
            </text>
          </g>
        );
      })}
      <line x1={goalX} x2={goalX} y1={TOP - 4} y2={height} stroke="#b3261e" stroke-width="2" stroke-dasharray="4 3" />
      <text x={goalX} y="12" font-size="12" fill="#b3261e" text-anchor="middle">
        {`${ctx.t('meter.goal')} ${percent(REUSE_GOAL, ctx)}`}
      </text>
    </svg>
  );
}
