// Loaded into a gateway with NDP_BENCH_GATEWAY_NODE_ARGS="--import $PWD/bench/exchange/alloc-prof.mjs": samples where
// the gateway allocates (objects collected since included) from NDP_ALLOC_FROM to NDP_ALLOC_TO seconds after its start,
// and writes the bytes by allocating function to /tmp/alloc-<pid>.txt (what makes its young-generation collections).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const from = Number(process.env.NDP_ALLOC_FROM ?? 20) * 1000;
const to = Number(process.env.NDP_ALLOC_TO ?? 35) * 1000;
const session = new Session();
session.connect();
const post = (method, params) =>
  new Promise((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
setTimeout(async () => {
  await post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  setTimeout(async () => {
    const { profile } = await post('HeapProfiler.stopSampling');
    const self = new Map();
    let total = 0;
    const walk = (node, stack) => {
      const f = node.callFrame;
      const where = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
      const path = [...stack, where];
      if (node.selfSize) {
        // the nearest frame of our own code names the site; the leaf says what allocated
        const own = [...path].reverse().find((p) => p.includes('src/')) ?? '(no own frame)';
        const key = `${where}  <=  ${own}`;
        self.set(key, (self.get(key) ?? 0) + node.selfSize);
        total += node.selfSize;
      }
      for (const c of node.children) walk(c, path);
    };
    walk(profile.head, []);
    const lines = [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 60)
      .map(([k, v]) => `${(v / 1024).toFixed(0).padStart(9)} KB ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
    writeFileSync(
      `/tmp/alloc-${process.pid}.txt`,
      `total ${(total / 1024 / 1024).toFixed(1)} MB sampled over ${(to - from) / 1000} s\n${lines.join('\n')}\n`,
    );
  }, to - from).unref();
}, from).unref();
