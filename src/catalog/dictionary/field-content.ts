import { fold } from '../../platform/text.js';
import { CONTENT_KEYS, type FieldContent } from './dictionary.repository.js';
import type { DictionaryFieldPatch } from './dictionary.schema.js';

type ContentInput = { [K in keyof FieldContent]?: FieldContent[K] | undefined } & {
  label_vi: string;
  label_en: string;
  type: string;
};

/** A field's content from a body: absent optional parts are null (or no constraints). */
export function contentOf(b: ContentInput): FieldContent {
  return {
    label_vi: b.label_vi.trim(),
    label_en: b.label_en.trim(),
    description_vi: b.description_vi?.trim() || null,
    description_en: b.description_en?.trim() || null,
    type: b.type,
    format: b.format?.trim() || null,
    unit: b.unit?.trim() || null,
    constraints: b.constraints ?? {},
    code_list: b.code_list ?? null,
    codes: b.codes?.length ? b.codes : null,
    agency_id: b.agency_id ?? null,
    personal_data: b.personal_data ?? null,
  };
}

/** The content a change leaves: the current content with what the patch says (a key given as null clears). */
export function patched(current: FieldContent, patch: DictionaryFieldPatch): FieldContent {
  const next = { ...pick(current) } as Record<string, unknown>;
  for (const k of CONTENT_KEYS) if ((patch as Record<string, unknown>)[k] !== undefined) next[k] = patch[k];
  return contentOf(next as unknown as FieldContent);
}

export function pick(row: FieldContent): FieldContent {
  return Object.fromEntries(CONTENT_KEYS.map((k) => [k, row[k] ?? (k === 'constraints' ? {} : null)])) as never;
}

/** The properties that differ (all of them against nothing: a new field). */
export function changedKeys(before: FieldContent | null, after: FieldContent): string[] {
  if (!before) return CONTENT_KEYS.filter((k) => !isEmpty(after[k]));
  return CONTENT_KEYS.filter((k) => canonical(before[k]) !== canonical(after[k]));
}

/** JSON with object keys sorted: jsonb keeps keys in an order of its own, so equal values must compare equal. */
function canonical(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
const isEmpty = (v: unknown) => v === null || v === undefined || (typeof v === 'object' && !Object.keys(v).length);

/** The words a search matches: the id (its underscores as spaces too), labels and definitions, folded. */
export function foldedOf(id: string, c: FieldContent): string {
  return fold(
    [id, id.replace(/_/g, ' '), c.label_vi, c.label_en, c.description_vi ?? '', c.description_en ?? ''].join(' '),
  );
}
