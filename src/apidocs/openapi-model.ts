import { schemaTree, type SchemaNode } from './schema-tree.js';

/** The part of an OpenAPI 3.1 document the pages read; anything else in it is left alone. */
export interface OpenApiDocument {
  info?: { title?: string; version?: string; description?: string };
  servers?: { url: string }[];
  paths?: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  security?: unknown[];
}

interface RawParameter {
  name?: string;
  in?: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
  example?: unknown;
  $ref?: string;
}

interface RawOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: RawParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }>; $ref?: string };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
}

export interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: SchemaNode;
  example?: unknown;
}

export interface Operation {
  /** the address of its page under /api/docs/: the method and the path in lower case words */
  slug: string;
  method: string;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  parameters: Parameter[];
  body?: { required: boolean; mediaType: string; schema: SchemaNode };
  responses: { status: string; description: string; mediaType?: string; schema?: SchemaNode }[];
  /** a write (or a declared security requirement): a token or a signed-in session is needed */
  needsSignIn: boolean;
}

export interface ApiModel {
  title: string;
  version: string;
  description: string;
  server: string;
  tags: { name: string; operations: Operation[] }[];
  bySlug: Map<string, Operation>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export const slugOf = (method: string, path: string) =>
  `${method}-${path}`
    .toLowerCase()
    .replace(/[{}]/g, '')
    .replace(/[^a-z0-9_.]+/g, '-')
    .replace(/^-|-$/g, '');

/** `#/components/…` of this document; an outside or unknown reference resolves to nothing. */
export function resolver(doc: OpenApiDocument) {
  return (ref: string): unknown => {
    if (!ref.startsWith('#/')) return undefined;
    let at: unknown = doc;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!at || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
      at = (at as Record<string, unknown>)[key];
    }
    return at;
  };
}

/** Turns the OpenAPI document into what the pages show: operations by tag, every `$ref` resolved. */
export function apiModel(doc: OpenApiDocument): ApiModel {
  const resolve = resolver(doc);
  const deref = <T>(x: T & { $ref?: string }): T => (x?.$ref ? ((resolve(x.$ref) as T) ?? x) : x);
  const byTag = new Map<string, Operation[]>();
  const bySlug = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const body = raw.requestBody ? deref(raw.requestBody) : undefined;
      const [mediaType, media] = Object.entries(body?.content ?? {})[0] ?? [];
      const op: Operation = {
        slug: slugOf(method, path),
        method: method.toUpperCase(),
        path,
        tag: raw.tags?.[0] ?? 'other',
        summary: raw.summary ?? `${method.toUpperCase()} ${path}`,
        description: raw.description,
        parameters: (raw.parameters ?? []).map(deref).map((p) => ({
          name: p.name ?? '',
          in: p.in ?? 'query',
          required: p.required ?? p.in === 'path',
          description: p.description,
          schema: schemaTree(p.schema ?? {}, resolve),
          example: p.example,
        })),
        body:
          mediaType && media
            ? {
                required: body?.required ?? false,
                mediaType,
                schema: schemaTree(media.schema ?? {}, resolve),
              }
            : undefined,
        responses: Object.entries(raw.responses ?? {}).map(([status, r]) => {
          const [type, content] = Object.entries(r.content ?? {})[0] ?? [];
          return {
            status,
            description: r.description ?? '',
            mediaType: type,
            schema: content?.schema ? schemaTree(content.schema, resolve) : undefined,
          };
        }),
        needsSignIn: method !== 'get' || (raw.security ?? doc.security ?? []).length > 0,
      };
      bySlug.set(op.slug, op);
      byTag.set(op.tag, [...(byTag.get(op.tag) ?? []), op]);
    }
  }
  return {
    title: doc.info?.title ?? 'API',
    version: doc.info?.version ?? '',
    description: doc.info?.description ?? '',
    server: doc.servers?.[0]?.url ?? '',
    tags: [...byTag].map(([name, operations]) => ({ name, operations })),
    bySlug,
  };
}
