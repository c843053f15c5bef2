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
