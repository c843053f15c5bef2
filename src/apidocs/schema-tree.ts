/** A JSON Schema as a reader takes it in: a type, the rules on its value, and its fields, nested. */
export interface SchemaNode {
  /** the field's name in its object; absent at the top and for array items */
  name?: string;
  /** a field of an object with any name (additionalProperties) */
  anyName?: boolean;
  required?: boolean;
  /** e.g. `string`, `integer`, `object`, with `[]` after an array's item type */
  type: string;
  nullable?: boolean;
  description?: string;
  /** the rules on the value, as key (an i18n key under `apidocs.rule.`) and value */
  rules: { key: string; value: string }[];
  /** the values allowed, when the schema lists them */
  choices?: string[];
  fields: SchemaNode[];
  /** anyOf / oneOf of shapes other than plain values */
  variants?: SchemaNode[];
}

type Json = Record<string, unknown>;
const MAX_DEPTH = 8;
const RULES = [
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'default',
  'const',
] as const;

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The values of an anyOf/oneOf made only of `const`s and `enum`s (what TypeBox writes for a union of literals). */
function literalChoices(variants: unknown[]): string[] | undefined {
  const out: string[] = [];
  for (const v of variants) {
    if (!isObject(v)) return undefined;
    if ('const' in v) out.push(text(v.const));
    else if (Array.isArray(v.enum)) out.push(...v.enum.map(text));
    else return undefined;
  }
  return out;
}

/**
 * Reads a schema into a tree, resolving every `$ref` (through `resolve`); a reference met again inside itself is
 * shown by its name and not followed, so a recursive schema ends.
 */
export function schemaTree(schema: unknown, resolve: (ref: string) => unknown): SchemaNode {
  const walk = (raw: unknown, seen: string[], depth: number): SchemaNode => {
    let s: Json = isObject(raw) ? raw : {};
    if (typeof s.$ref === 'string') {
      const ref = s.$ref;
      const name = ref.split('/').pop() ?? ref;
      const target = resolve(ref);
      if (seen.includes(ref) || !isObject(target) || depth > MAX_DEPTH)
        return { type: name, rules: [{ key: 'seeAbove', value: name }], fields: [] };
      seen = [...seen, ref];
      const { $ref: _ref, ...rest } = s;
      s = { ...target, ...rest };
    }
    if (Array.isArray(s.allOf)) {
      const parts = s.allOf.map((x) => walk(x, seen, depth + 1));
      const own = walk({ ...s, allOf: undefined }, seen, depth + 1);
      return {
        ...own,
        type: parts.find((p) => p.type !== 'any')?.type ?? own.type,
        fields: parts.flatMap((p) => p.fields).concat(own.fields),
      };
    }
    const node: SchemaNode = {
      type: 'any',
      description: typeof s.description === 'string' ? s.description : undefined,
      rules: RULES.filter((k) => s[k] !== undefined).map((k) => ({ key: k, value: text(s[k]) })),
      fields: [],
    };
    const types = Array.isArray(s.type) ? s.type.map(String) : typeof s.type === 'string' ? [s.type] : [];
    node.nullable = types.includes('null');
    node.type = types.filter((t) => t !== 'null').join(' | ') || node.type;
    if (Array.isArray(s.enum)) node.choices = s.enum.map(text);
    const union = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
    if (union) {
      const nonNull = union.filter((v) => !(isObject(v) && v.type === 'null'));
      if (nonNull.length < union.length) node.nullable = true;
      const choices = literalChoices(nonNull);
      if (choices) {
        node.choices = choices;
        const first = nonNull[0];
        if (node.type === 'any' && isObject(first) && typeof first.type === 'string') node.type = first.type;
      } else if (nonNull.length === 1) {
        const only = walk(nonNull[0], seen, depth + 1);
        return { ...only, description: node.description ?? only.description, nullable: node.nullable };
      } else node.variants = nonNull.map((v) => walk(v, seen, depth + 1));
    }
    if (depth >= MAX_DEPTH) return node;
    if (isObject(s.properties)) {
      if (node.type === 'any') node.type = 'object';
      const required = Array.isArray(s.required) ? s.required.map(String) : [];
      for (const [name, child] of Object.entries(s.properties))
        node.fields.push({ ...walk(child, seen, depth + 1), name, required: required.includes(name) });
    }
    if (isObject(s.additionalProperties))
      node.fields.push({ ...walk(s.additionalProperties, seen, depth + 1), anyName: true });
    if (s.items !== undefined) {
      const item = walk(s.items, seen, depth + 1);
      node.type = `${item.type}[]`;
      if (item.choices) node.choices = item.choices;
      node.fields.push(...item.fields);
      if (item.variants) node.variants = item.variants;
      node.rules.push(...item.rules.map((r) => ({ key: `item.${r.key}`, value: r.value })));
    }
    return node;
  };
  return walk(schema, [], 0);
}
