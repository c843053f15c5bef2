import { Type, type Static } from '@sinclair/typebox';

const Values = Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 10 });

/** A search to follow: its words and filters as the search page's address carries them. */
export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    agency: Type.Optional(Values),
    theme: Type.Optional(Values),
    format: Type.Optional(Values),
    licence: Type.Optional(Values),
    keyword: Type.Optional(Values),
    province: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2}$' }), { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;
export const SEARCH_FILTERS = ['agency', 'theme', 'format', 'licence', 'keyword', 'province'] as const;

export const FollowBody = Type.Union([
  Type.Object(
    { kind: Type.Literal('dataset'), dataset: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('agency'), agency: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('search'), search: SearchQuery }, { additionalProperties: false }),
]);
export type FollowBody = Static<typeof FollowBody>;

export const WebhookBody = Type.Object(
  { url: Type.String({ minLength: 8, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const EmailBody = Type.Object({ email: Type.Boolean() }, { additionalProperties: false });

/** The canonical form of a search (words folded to lower case and trimmed, filters sorted): one follow per search. */
export function canonicalSearch(s: SearchQuery): { key: string; search: SearchQuery } {
  const search: SearchQuery = {};
  const q = (s.q ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  if (q) search.q = q;
  for (const f of SEARCH_FILTERS) {
    const v = [...new Set(s[f] ?? [])].sort();
    if (v.length) search[f] = v;
  }
  return { key: JSON.stringify(search), search };
}

/** The search's address on the portal (its page, its feed). */
export function searchParams(s: SearchQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  for (const f of SEARCH_FILTERS) for (const v of s[f] ?? []) p.append(f, v);
  return p;
}
