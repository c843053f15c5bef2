import { fold } from '../platform/text.js';

/** Why a data set was found: how many of the query's words it matched, and the columns of its data that matched. */
export interface SearchMatch {
  /** the query's words, and how many of them this data set matched (fewer when no data set matched them all) */
  words: number;
  matched: number;
  /** columns whose values hold words the metadata does not: "in column Tỉnh/thành: Hà Nội" */
  columns: { column: string; title: string; values: string[] }[];
}

/** Values shown per column: enough to say why, not a dump of the column. */
const VALUES_SHOWN = 3;

/** Does a folded value hold the word (the last word of a query is matched as a prefix, as in the search)? */
function holds(tokens: string[], word: string, prefix: boolean): boolean {
  return tokens.some((t) => t === word || (prefix && t.startsWith(word)));
}

/**
 * Explains one data set's match: `words` are the query's folded words (the last a prefix), `inMetadata` which of them
 * its metadata holds. A column is named when its values hold words the metadata does not; its values shown are
 * those holding the most such words.
 */
export function explainMatch(
  words: string[],
  inMetadata: boolean[],
  columns: { column_id: string; column_title: string; vals: string[] }[],
  matched?: number,
): SearchMatch {
  const dataWords = words.map((w, i) => ({ w, i })).filter((x) => !inMetadata[x.i]);
  const found = new Set<number>();
  const out: SearchMatch['columns'] = [];
  for (const c of columns) {
    const scored = c.vals
      .map((v) => {
        const tokens = fold(v).split(/[^\p{L}\p{N}]+/u);
        const held = dataWords.filter((x) => holds(tokens, x.w, x.i === words.length - 1));
        return { v, held };
      })
      .filter((x) => x.held.length > 0);
    if (!scored.length) continue;
    const best = Math.max(...scored.map((x) => x.held.length));
    const shown = scored.filter((x) => x.held.length === best).slice(0, VALUES_SHOWN);
    for (const x of shown) for (const h of x.held) found.add(h.i);
    out.push({ column: c.column_id, title: c.column_title, values: shown.map((x) => x.v) });
  }
  const inMeta = inMetadata.filter(Boolean).length;
  return { words: words.length, matched: matched ?? Math.min(words.length, inMeta + found.size), columns: out };
}

/** A match said in words, both languages: "in column Tỉnh/thành: Hà Nội", "matches 2 of 3 words". */
export function describeMatch(m: SearchMatch | undefined): { vi: string; en: string } | null {
  if (!m) return null;
  const vi: string[] = [];
  const en: string[] = [];
  if (m.matched < m.words) {
    vi.push(`khớp ${m.matched}/${m.words} từ`);
    en.push(`matches ${m.matched} of ${m.words} words`);
  }
  for (const c of m.columns) {
    const values = c.values.map((v) => `“${v}”`).join(', ');
    vi.push(`trong cột ${c.title}: ${values}`);
    en.push(`in column ${c.title}: ${values}`);
  }
  return vi.length ? { vi: vi.join('; '), en: en.join('; ') } : null;
}

/** The match as the API gives it beside each result. */
export function presentMatch(m: SearchMatch | undefined) {
  if (!m) return undefined;
  return {
    words: m.words,
    matched: m.matched,
    in_data: m.columns.map((c) => ({ column: c.column, title: c.title, values: c.values })),
    why: describeMatch(m),
  };
}
