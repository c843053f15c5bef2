import type { Operation } from './openapi-model.js';
import type { SchemaNode } from './schema-tree.js';

const FORMATS: Record<string, string> = {
  uuid: '00000000-0000-0000-0000-000000000000',
  email: 'ten@example.vn',
  date: '2024-08-03',
  'date-time': '2024-08-03T09:00:00+07:00',
  uri: 'https://example.vn/',
};

const rule = (n: SchemaNode, key: string) => n.rules.find((r) => r.key === key)?.value;
const parsed = (v: string) => {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/** A value that passes the schema's type, taken from what it says (default, choices, format), for an example call. */
export function sampleOf(n: SchemaNode, depth = 0): unknown {
  const given = rule(n, 'const') ?? rule(n, 'default');
  if (given !== undefined) return parsed(given);
  if (n.type.endsWith('[]')) return [sampleOf({ ...n, type: n.type.slice(0, -2), rules: [] }, depth + 1)];
  if (n.choices?.length) return n.type === 'string' ? n.choices[0] : parsed(n.choices[0]!);
  if (n.fields.length && depth < 4) {
    const required = n.fields.filter((f) => f.required && !f.anyName);
    const shown = required.length ? required : n.fields.filter((f) => !f.anyName).slice(0, 3);
    return Object.fromEntries(shown.map((f) => [f.name, sampleOf(f, depth + 1)]));
  }
  if (n.type === 'integer' || n.type === 'number') return parsed(rule(n, 'minimum') ?? '1');
  if (n.type === 'boolean') return true;
  if (n.type === 'object') return {};
  return FORMATS[rule(n, 'format') ?? ''] ?? '…';
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A curl call of the operation: required parameters and given examples, a token when it needs one. */
export function curlOf(op: Operation, server: string): string {
  const query = op.parameters
    .filter((p) => p.in === 'query' && (p.required || p.example !== undefined))
    .map((p) => {
      const value = p.example ?? sampleOf(p.schema);
      return [p.name, typeof value === 'string' ? value : JSON.stringify(value)];
    });
  const get = op.method === 'GET';
  // a read's query is written out readable (curl encodes it); a write's is part of its address
  const address = get || !query.length ? op.path : `${op.path}?${new URLSearchParams(query).toString()}`;
  const lines = [`curl${get ? (query.length ? ' -G' : '') : ` -X ${op.method}`} ${quote(`${server}${address}`)}`];
  if (get) for (const [name, value] of query) lines.push(`--data-urlencode ${quote(`${name}=${value}`)}`);
  for (const p of op.parameters.filter((x) => x.in === 'header' && x.required))
    lines.push(`-H ${quote(`${p.name}: ${String(sampleOf(p.schema))}`)}`);
  if (op.needsSignIn) lines.push('-H "Authorization: Bearer $NDP_TOKEN"');
  if (op.body) {
    lines.push(`-H ${quote(`Content-Type: ${op.body.mediaType}`)}`);
    if (op.body.mediaType.includes('json')) lines.push(`-d ${quote(JSON.stringify(sampleOf(op.body.schema)))}`);
    else lines.push(`--data-binary @${op.body.mediaType.includes('csv') ? 'bang.csv' : 'tep'}`);
  }
  return lines.join(' \\\n  ');
}
