/* The lists the search index is made of, and what it does with them: union, intersection, the first k. */

/** A growable list of slots (Int32), sorted as slots only ever grow. */
export class Postings {
  a = new Int32Array(4);
  n = 0;
  push(slot: number) {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = slot;
  }
  view(): Int32Array {
    return this.a.subarray(0, this.n);
  }
  trim() {
    this.a = this.a.slice(0, this.n);
  }
}

export class Grow<T extends Float64Array | Int32Array | Uint32Array | Uint8Array> {
  constructor(
    public a: T,
    private readonly make: (n: number) => T,
  ) {}
  set(i: number, v: number) {
    if (i >= this.a.length) {
      const b = this.make(Math.max(this.a.length * 2, i + 1));
      b.set(this.a as never);
      this.a = b;
    }
    this.a[i] = v;
  }
}

/** The sorted union of sorted lists. */
export function union(lists: (Int32Array | undefined)[]): number[] {
  const present = lists.filter((l): l is Int32Array => !!l && l.length > 0);
  if (present.length === 1) return Array.from(present[0]!);
  const all = new Set<number>();
  for (const l of present) for (const s of l) all.add(s);
  return [...all].sort((a, b) => a - b);
}

/** Slots of `a` (sorted) also in `b` (sorted), galloping through the longer. */
export function intersect(a: number[], b: Int32Array | undefined): number[] {
  if (!b) return [];
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    let step = 1;
    while (j + step < b.length && b[j + step]! < x) step *= 2;
    let lo = j;
    let hi = Math.min(j + step, b.length);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    j = lo;
    if (j >= b.length) break;
    if (b[j] === x) out.push(x);
  }
  return out;
}

/** The first k of `items` under `cmp`, in order: a bounded heap, so a broad match costs n log k, not n log n. */
export function topK(items: number[], k: number, cmp: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  if (items.length <= k * 4) return items.slice().sort(cmp).slice(0, k);
  // max-heap of the best k so far (the worst of them at the top)
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (cmp(heap[i]!, heap[p]!) <= 0) return;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && cmp(heap[l]!, heap[m]!) > 0) m = l;
      if (r < heap.length && cmp(heap[r]!, heap[m]!) > 0) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const x of items) {
    if (heap.length < k) {
      heap.push(x);
      up(heap.length - 1);
    } else if (cmp(x, heap[0]!) < 0) {
      heap[0] = x;
      down(0);
    }
  }
  return heap.sort(cmp);
}

/** Scores slots by their place in a ranking of ids (the first highest); those not in it score 0. */
export function scoreByRank(score: Float32Array, slotOf: Map<string, number>, ranked: string[], slots: number[]) {
  for (const s of slots) score[s] = 0;
  ranked.forEach((id, i) => {
    const s = slotOf.get(id);
    if (s !== undefined) score[s] = ranked.length - i;
  });
}
