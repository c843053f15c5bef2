/**
 * Folding for search: Vietnamese diacritics removed, đ→d, lower case, so that
 * `ha noi`, `Hà Nội` and `HA NOI` compare equal. Done in TypeScript rather than
 * with the `unaccent` extension so that PGlite and PostgreSQL fold identically
 * and the index needs no extension.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of a free-text query, folded, stripped of anything but letters and digits. */
export function queryWords(q: string): string[] {
  return fold(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 32);
}

export function slugify(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90);
}

/** Every precomposed Latin letter, upper and lower case, by the ASCII letter it folds to: a → aAàáả…ÀÁẢ… */
const LETTER_VARIANTS: Map<string, string> = (() => {
  const out = new Map<string, string>();
  for (const [lo, hi] of [
    [0x41, 0x5a],
    [0x61, 0x7a],
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ] as const) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      const f = fold(ch);
      if (/^[a-z]$/.test(f)) out.set(f, (out.get(f) ?? '') + ch);
    }
  }
  return out;
})();

/**
 * A LIKE pattern (`%`, `_`, `\` escapes) as a PostgreSQL regular expression that matches whole values ignoring case
 * and diacritics, as `fold` compares: `%ha noi%` → `^.*[hHḥ…][aAàá…] [nN…][oOòó…][iIìí…].*$`. Stored text is
 * never rewritten (a per-row `translate` costs ×100 a scan); the pattern is, once, so filters on a million rows and
 * the agency list stay a plain scan. Works alike on PostgreSQL and PGlite, with no extension.
 */
export function foldedRegex(likePattern: string): string {
  const folded = fold(likePattern);
  let out = '^';
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i]!;
    if (ch === '\\' && i + 1 < folded.length) out += escapeRegex(folded[++i]!);
    else if (ch === '%') out += '.*';
    else if (ch === '_') out += '.';
    else if (LETTER_VARIANTS.has(ch)) out += `[${LETTER_VARIANTS.get(ch)}]`;
    else out += escapeRegex(ch);
  }
  return `${out}$`;
}

const escapeRegex = (ch: string) => (/[.^$|?*+()[\]{}\\-]/.test(ch) ? `\\${ch}` : ch);
