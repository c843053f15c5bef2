// How long the machine keeps a process that wants to run waiting: a process that does nothing but wake every 2 ms and
// note how late each wake-up was. Its lateness is the scheduler's, not any hop's: the floor under every path's tail.
const PERIOD = 2;
let late: number[] = [];
let expected = performance.now() + PERIOD;
const tick = () => {
  const now = performance.now();
  late.push(now - expected);
  expected = now + PERIOD;
  setTimeout(tick, PERIOD);
};
setTimeout(tick, PERIOD);
process.on('message', (m) => {
  if (m === 'start') {
    late = [];
    return;
  }
  const sorted = late.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  process.send!({
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    over10: sorted.filter((x) => x > 10).length,
    wakeups: sorted.length,
  });
});
process.on('disconnect', () => process.exit(0));
