import type { Principal } from '../accounts/principal.js';

/** Table Schema types of the loaded table's column types (the reverse of the load's FROM_TABLE_SCHEMA). */
const TO_TABLE_SCHEMA: Record<string, string> = {
  text: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  geometry: 'geojson',
};

/** Where a file's loaded columns come from (the datastore); null when the file has no loaded table. */
export type LoadedColumns = (p: Principal, distributionId: string) => Promise<{ title: string; type: string }[] | null>;

/**
 * The type each column has now, by name: the attached Table Schema's, else the loaded table's inferred one. A column
 * the publisher leaves with neither a dictionary field nor a type keeps it, rather than falling back to text (a saved
 * schema re-types the published table, so "text" would turn its integers into strings).
 */
export function currentColumnTypes(
  tableSchema: unknown,
  loaded: { title: string; type: string }[] | null,
): Map<string, string> {
  const types = new Map<string, string>();
  for (const c of loaded ?? []) {
    const type = TO_TABLE_SCHEMA[c.type];
    if (type) types.set(c.title, type);
  }
  const fields = (tableSchema as { fields?: { name?: unknown; type?: unknown }[] } | null)?.fields ?? [];
  for (const f of fields) if (typeof f.name === 'string' && typeof f.type === 'string') types.set(f.name, f.type);
  return types;
}

/** The schema picker's rows as Table Schema fields: an unmapped, untyped column keeps its current type. */
export function pickedFields(
  names: string[],
  dicts: string[],
  types: string[],
  current: Map<string, string>,
): Record<string, string>[] {
  return names.flatMap((name, i) => {
    const n = name.trim();
    if (!n) return [];
    const f: Record<string, string> = { name: n.slice(0, 120) };
    if (dicts[i]) f.dictionary = dicts[i]!;
    const type = types[i] || (dicts[i] ? undefined : current.get(n));
    if (type) f.type = type;
    return [f];
  });
}
