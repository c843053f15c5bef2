import cliProgress from 'cli-progress';

/** A progress bar on a terminal, plain progress lines elsewhere (CI logs). */
export function progressBar(label: string, total: number) {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} {unit}`, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { unit: '' });
    return { update: (n: number, unit = '') => bar.update(n, { unit }), stop: () => bar.stop() };
  }
  let lastPct = -1;
  return {
    update: (n: number, unit = '') => {
      const pct = total ? Math.floor((n / total) * 10) * 10 : 100;
      if (pct !== lastPct) {
        lastPct = pct;
        process.stderr.write(`${label}: ${pct}% (${n}/${total} ${unit})\n`);
      }
    },
    stop: () => {},
  };
}
