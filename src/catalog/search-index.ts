import type { SearchSort } from './catalog.schema.js';
import { Grow, intersect, Postings, scoreByRank, topK, union } from './search-index-lists.js';
import type { IndexRow } from './search-index.repository.js';
import { FACET_FIELDS, type FacetField, type SearchFilter, type SearchPage } from './search.repository.js';

/*
 * The published catalog held in memory for search: an inverted index of each data set's words, its facet ids and
 * sort keys. PostgreSQL stays the system of record; this is read from it at start and kept current from its notices
 * (search-index.service.ts). Append-only: a data set written again gets a new slot and its old slot is dead, so every
 * posting list stays sorted by slot; dead slots are dropped when the index is built again.
 */

const FIELD_OF: Record<string, FacetField> = {
  a: 'agency',
  t: 'theme',
  f: 'format',
  l: 'licence',
  k: 'keyword',
  p: 'province',
};
/** ts_rank's default weights of title (A) and keyword (B) words */
const TITLE_WEIGHT = 1;
const KEYWORD_WEIGHT = 0.4;
const DAY0 = Number.NEGATIVE_INFINITY;
const BY_DATE: SearchSort[] = ['modified_desc', 'modified_asc', 'issued_desc', 'id_asc'];
const BY_USE: SearchSort[] = ['views_desc', 'views_recent_desc', 'downloads_desc'];

export class SearchIndex {
  private ids: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly alive = new Grow(new Uint8Array(1024), (n) => new Uint8Array(n));
  private readonly valued = new Grow(new Uint8Array(1024), (n) => new Uint8Array(n));
  private readonly modified = new Grow(new Float64Array(1024), (n) => new Float64Array(n));
  private readonly created = new Grow(new Float64Array(1024), (n) => new Float64Array(n));
  private readonly issued = new Grow(new Float64Array(1024), (n) => new Float64Array(n));
  private readonly facetStart = new Grow(new Uint32Array(1025), (n) => new Uint32Array(n));
  private readonly facetData = new Grow(new Uint32Array(4096), (n) => new Uint32Array(n));
  private facetLength = 0;
  private readonly words = new Map<string, Postings>();
  private readonly titleWords = new Map<string, Postings>();
  private readonly keywordWords = new Map<string, Postings>();
  /** every word, sorted, for the last word's prefix (rebuilt lazily when words were added) */
  private sortedWords: string[] | null = null;
  private readonly facetKey: string[] = [];
  private readonly facetIdOf = new Map<string, number>();
  private dead = 0;
  /** scratch per query (queries run one at a time: nothing here awaits) */
  private score = new Float32Array(0);
  private mark = new Uint32Array(0);
  private hits = new Uint8Array(0);
  private facetCounts = new Int32Array(0);
  private stamp = 0;

  get size(): number {
    return this.ids.length - this.dead;
  }

  /** Dead slots are over a third: the owner builds the index again. */
  get wasteful(): boolean {
    return this.dead > 10_000 && this.dead * 3 > this.ids.length;
  }

  addFacetValues(values: { id: number; key: string }[]) {
    for (const v of values) {
      this.facetKey[v.id] = v.key;
      this.facetIdOf.set(v.key, v.id);
    }
  }

  get maxFacetId(): number {
    return this.facetKey.length - 1;
  }

  /** Puts a data set in (again): a published one gets a new slot; any other status only leaves. */
  put(row: IndexRow) {
    this.remove(row.id);
    if (row.status !== 'published') return;
    const slot = this.ids.length;
    this.ids.push(row.id);
    this.slotOf.set(row.id, slot);
    this.alive.set(slot, 1);
    this.valued.set(slot, row.has_values ? 1 : 0);
    this.modified.set(slot, row.modified.getTime());
    this.created.set(slot, row.created_at.getTime());
    this.issued.set(slot, row.issued ? row.issued.getTime() : DAY0);
    this.facetStart.set(slot, this.facetLength);
    for (const f of row.facet_ids) this.facetData.set(this.facetLength++, f);
    this.facetStart.set(slot + 1, this.facetLength);
    const add = (map: Map<string, Postings>, words: string[] | null) => {
      for (const w of words ?? []) {
        let p = map.get(w);
        if (!p) {
          p = new Postings();
          map.set(w, p);
          if (map === this.words) this.sortedWords = null;
        }
        p.push(slot);
      }
    };
    add(this.words, row.words);
    add(this.titleWords, row.title_words);
    add(this.keywordWords, row.keyword_words);
  }

  remove(id: string) {
    const old = this.slotOf.get(id);
    if (old === undefined) return;
    this.alive.a[old] = 0;
    this.slotOf.delete(id);
    this.dead++;
  }

  /** After a bulk load: posting lists cut to their length. */
  compact() {
    for (const m of [this.words, this.titleWords, this.keywordWords]) for (const p of m.values()) p.trim();
  }

  /** What the index keeps, in bytes (typed arrays exactly; strings and maps estimated). */
  bytes(): number {
    let n = 0;
    for (const m of [this.words, this.titleWords, this.keywordWords])
      for (const [w, p] of m) n += p.a.byteLength + 2 * w.length + 80;
    for (const g of [
      this.alive,
      this.valued,
      this.modified,
      this.created,
      this.issued,
      this.facetStart,
      this.facetData,
    ])
      n += g.a.byteLength;
    n += this.ids.length * (36 + 24 + 8) + this.slotOf.size * 80;
    n += this.facetKey.reduce((s, k) => s + 2 * (k?.length ?? 0) + 80, 0);
    return n + this.score.byteLength + this.mark.byteLength + this.hits.byteLength + this.facetCounts.byteLength;
  }

  /** Sorts the index answers; any other (by title or slug) is left to PostgreSQL. */
  static answers(sort: SearchSort): boolean {
    return sort === 'relevance' || BY_DATE.includes(sort) || BY_USE.includes(sort);
  }

  search(
    f: SearchFilter,
    words: { each: string[]; exact: string[] },
    sort: SearchSort,
    limit: number,
    offset: number,
    facetLimit: number,
    withFacets: boolean,
    anyWord: boolean,
    /** a sort by use: these data set ids first, in this order, then by date */
    ranked?: string[],
  ): SearchPage {
    const n = this.ids.length;
    if (this.mark.length < n) {
      this.mark = new Uint32Array(Math.ceil(n * 1.25));
      this.score = new Float32Array(this.mark.length);
      this.hits = new Uint8Array(this.mark.length);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    let candidates = words.each.length ? this.matchWords(words.each, anyWord, stamp) : null;
    const keep = this.filterTest(f);
    const out: number[] = [];
    const alive = this.alive.a;
    if (candidates) {
      for (const s of candidates) if (alive[s] && keep(s)) out.push(s);
    } else {
      for (let s = 0; s < n; s++) if (alive[s] && keep(s)) out.push(s);
    }
    candidates = null;
    const relevance = sort === 'relevance' && words.exact.length > 0;
    if (relevance) this.rank(words.exact, out, stamp);
    if (ranked) scoreByRank(this.score, this.slotOf, ranked, out); // a sort by use: relevance by place in the ranking
    const cmp = this.comparator(
      relevance || ranked ? 'relevance' : BY_DATE.includes(sort) ? sort : 'modified_desc',
      anyWord,
    );
    const page = topK(out, offset + limit, cmp).slice(offset, offset + limit);
    const result: SearchPage = {
      total: out.length,
      ids: page.map((s) => this.ids[s]!),
      facets: Object.fromEntries(FACET_FIELDS.map((k) => [k, []])) as unknown as SearchPage['facets'],
    };
    if (anyWord) result.hits = page.map((s) => this.hits[s]!);
    result.withValues = page.filter((s) => this.valued.a[s]).map((s) => this.ids[s]!);
    if (withFacets) this.countFacets(out, facetLimit, result);
    return result;
  }

  /** Slots holding every word (or, with anyWord, any: their count in `hits`); the last word is a prefix. */
  private matchWords(each: string[], anyWord: boolean, stamp: number): Iterable<number> {
    const lists = each.map((w, i) => (i === each.length - 1 ? this.prefixLists(w) : [this.words.get(w)?.view()]));
    const mark = this.mark;
    const hits = this.hits;
    if (anyWord) {
      const out: number[] = [];
      for (const group of lists) {
        for (const list of group) {
          if (!list) continue;
          for (const s of list) {
            if (mark[s] !== stamp) {
              mark[s] = stamp;
              hits[s] = 0;
              out.push(s);
            }
          }
        }
      }
      // a word counts once per data set, however many of its forms (prefix) match
      for (const group of lists) {
        const seen = group.length > 1 ? new Set<number>() : null;
        for (const list of group)
          for (const s of list ?? []) {
            if (seen?.has(s)) continue;
            seen?.add(s);
            hits[s]! += 1;
          }
      }
      return out;
    }
    // every word: start from the word with the fewest slots, and keep the slots every other word holds
    const sized = lists
      .map((group) => ({ group, n: group.reduce((s, l) => s + (l?.length ?? 0), 0) }))
      .sort((a, b) => a.n - b.n);
    if (!sized.length || sized[0]!.n === 0) return [];
    let current = union(sized[0]!.group);
    for (const { group } of sized.slice(1)) {
      if (!current.length) break;
      if (group.length === 1) current = intersect(current, group[0]!);
      else {
        const s2 = ++this.stamp;
        for (const l of group) for (const s of l ?? []) mark[s] = s2;
        current = current.filter((s) => mark[s] === s2);
      }
    }
    return current;
  }

  private prefixLists(prefix: string): (Int32Array | undefined)[] {
    if (!this.sortedWords) this.sortedWords = [...this.words.keys()].sort();
    const all = this.sortedWords;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: Int32Array[] = [];
    for (let i = lo; i < all.length && all[i]!.startsWith(prefix); i++) out.push(this.words.get(all[i]!)!.view());
    return out;
  }

  private filterTest(f: SearchFilter): (slot: number) => boolean {
    const ids = (prefix: string, values: string[] | undefined) =>
      values?.length ? values.map((v) => this.facetIdOf.get(`${prefix}:${v}`) ?? -1) : null;
    const x = f.exclude ?? {};
    const any = [
      ids('a', f.agencyIds),
      ids('t', f.themes),
      ids(
        'f',
        f.formats?.map((v) => v.toUpperCase()),
      ),
      ids('l', f.licences),
      ids('k', f.keywords),
      ids('p', f.provinces),
    ].filter((v): v is number[] => v !== null);
    const none = [
      ids('a', x.agencyIds),
      ids('t', x.themes),
      ids(
        'f',
        x.formats?.map((v) => v.toUpperCase()),
      ),
      ids('l', x.licences),
      ids('k', x.keywords),
      ids('p', x.provinces),
    ]
      .filter((v): v is number[] => v !== null)
      .flat();
    const ranges: [Float64Array, number, boolean, number, boolean][] = [];
    for (const [arr, r] of [
      [this.modified.a, f.modified],
      [this.created.a, f.created],
    ] as const) {
      if (r?.from || r?.to)
        ranges.push([
          arr,
          r.from ? r.from.getTime() : Number.NEGATIVE_INFINITY,
          !!r.fromExclusive,
          r.to ? r.to.getTime() : Number.POSITIVE_INFINITY,
          !!r.toExclusive,
        ]);
    }
    if (!any.length && !none.length && !ranges.length) return () => true;
    const start = this.facetStart.a;
    const data = this.facetData.a;
    return (s) => {
      for (const [arr, from, fx, to, tx] of ranges) {
        const v = arr[s]!;
        if (fx ? v <= from : v < from) return false;
        if (tx ? v >= to : v > to) return false;
      }
      const a = start[s]!;
      const b = start[s + 1]!;
      for (const set of any) {
        let found = false;
        for (let i = a; i < b && !found; i++) if (set.includes(data[i]!)) found = true;
        if (!found) return false;
      }
      if (none.length) for (let i = a; i < b; i++) if (none.includes(data[i]!)) return false;
      return true;
    };
  }

  /** ts_rank's weights, summed over the query's words a data set holds in its title (A) or keywords (B). */
  private rank(exact: string[], slots: number[], stamp: number) {
    const mark = this.mark;
    const score = this.score;
    const s2 = ++this.stamp;
    for (const s of slots) {
      mark[s] = s2;
      score[s] = 0;
    }
    for (const w of new Set(exact)) {
      const title = this.titleWords.get(w)?.view();
      const titled = new Set<number>();
      if (title)
        for (const s of title)
          if (mark[s] === s2) {
            score[s]! += TITLE_WEIGHT;
            titled.add(s);
          }
      const kw = this.keywordWords.get(w)?.view();
      if (kw) for (const s of kw) if (mark[s] === s2 && !titled.has(s)) score[s]! += KEYWORD_WEIGHT;
    }
    void stamp;
  }

  private comparator(sort: SearchSort, anyWord: boolean): (a: number, b: number) => number {
    const m = this.modified.a;
    const ids = this.ids;
    const byId = (a: number, b: number) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
    const score = this.score;
    const issued = this.issued.a;
    const base: (a: number, b: number) => number =
      sort === 'relevance'
        ? (a, b) => score[b]! - score[a]! || m[b]! - m[a]! || byId(a, b)
        : sort === 'modified_asc'
          ? (a, b) => m[a]! - m[b]! || byId(a, b)
          : sort === 'issued_desc'
            ? (a, b) => (issued[b]! === issued[a]! ? 0 : issued[b]! > issued[a]! ? 1 : -1) || byId(a, b)
            : sort === 'id_asc'
              ? byId
              : (a, b) => m[b]! - m[a]! || byId(a, b);
    if (!anyWord) return base;
    const hits = this.hits;
    return (a, b) => hits[b]! - hits[a]! || base(a, b);
  }

  private countFacets(slots: number[], facetLimit: number, out: SearchPage) {
    const start = this.facetStart.a;
    const data = this.facetData.a;
    if (this.facetCounts.length < this.facetKey.length) this.facetCounts = new Int32Array(this.facetKey.length + 256);
    const counts = this.facetCounts;
    const touched: number[] = [];
    for (const s of slots)
      for (let i = start[s]!; i < start[s + 1]!; i++) {
        const f = data[i]!;
        if (f >= counts.length) continue; // a value this index has not heard of yet
        if (counts[f] === 0) touched.push(f);
        counts[f]! += 1;
      }
    const byField = new Map<FacetField, { value: string; count: number }[]>();
    for (const id of touched) {
      const count = counts[id]!;
      counts[id] = 0;
      const key = this.facetKey[id];
      const field = key ? FIELD_OF[key[0]!] : undefined;
      if (!field) continue;
      let list = byField.get(field);
      if (!list) byField.set(field, (list = []));
      list.push({ value: key!.slice(2), count });
    }
    for (const [field, list] of byField) {
      list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      out.facets[field] = list.slice(0, facetLimit);
    }
  }
}
