/**
 * The CKAN actions as OpenAPI operations, one path each. The actions share one route (`/api/3/action/:action`), so
 * the route schemas cannot describe their parameters; this table does, and `app.ts` adds it to the OpenAPI document.
 * Keep it beside `ckan.actions.ts`: a parameter read there is listed here.
 */

interface ActionParam {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'array' | 'object';
  description: string;
  required?: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  enum?: string[];
  example?: unknown;
}

interface ActionDoc {
  summary: string;
  /** writes are POST only, with a token; reads answer GET and POST */
  write?: boolean;
  params: ActionParam[];
}

const id = (what: string, max = 120): ActionParam => ({
  name: 'id',
  type: 'string',
  required: true,
  maxLength: max,
  description: `${what}: its id or name`,
});
const paging = (limit: number, max: number): ActionParam[] => [
  { name: 'limit', type: 'integer', default: limit, minimum: 1, maximum: max, description: 'how many to return' },
  { name: 'offset', type: 'integer', default: 0, minimum: 0, description: 'how many to skip' },
];
const datasetFields: ActionParam[] = [
  { name: 'name', type: 'string', maxLength: 100, description: 'URL name (lower case, digits, - and _)' },
  { name: 'title', type: 'string', maxLength: 300, description: 'title (Vietnamese)' },
  { name: 'notes', type: 'string', maxLength: 20000, description: 'description (Vietnamese)' },
  { name: 'license_id', type: 'string', maxLength: 40, description: 'licence id (see license_list)' },
  { name: 'tags', type: 'array', description: 'keywords, as [{"name": "…"}]' },
  { name: 'groups', type: 'array', description: 'themes, as [{"name": "…"}] (see group_list)' },
  { name: 'maintainer', type: 'string', maxLength: 200, description: 'contact name' },
  { name: 'maintainer_email', type: 'string', maxLength: 254, description: 'contact e-mail' },
  { name: 'private', type: 'boolean', description: 'true: restricted access' },
  { name: 'extras', type: 'array', description: 'extra fields, as [{"key": "…", "value": "…"}]' },
];

export const CKAN_ACTIONS: Record<string, ActionDoc> = {
  package_search: {
    summary: 'Search data sets (Solr-style q and fq), with facets',
    params: [
      { name: 'q', type: 'string', maxLength: 500, description: 'words, and field:value terms', example: 'dân số' },
      {
        name: 'fq',
        type: 'string',
        maxLength: 2000,
        description:
          'filter terms: organization, groups, res_format, license_id, tags, province, metadata_modified:[FROM TO TO]',
      },
      { name: 'fq_list', type: 'array', description: 'more filter terms, each as fq' },
      { name: 'rows', type: 'integer', default: 10, minimum: 0, maximum: 1000, description: 'results per page' },
      { name: 'start', type: 'integer', default: 0, minimum: 0, maximum: 100000, description: 'results to skip' },
      {
        name: 'sort',
        type: 'string',
        default: 'score desc, metadata_modified desc',
        description: 'score desc, metadata_modified desc|asc, metadata_created desc, title_string asc|desc, name asc',
      },
      { name: 'facet', type: 'boolean', default: true, description: 'count facets' },
      { name: 'facet.field', type: 'array', description: 'the fields to count, as a JSON list', example: '["tags"]' },
      { name: 'facet.limit', type: 'integer', default: 50, minimum: -1, maximum: 1000, description: 'values a facet' },
    ],
  },
  package_show: { summary: 'One data set with its resources', params: [id('the data set')] },
  package_list: { summary: 'The names of published data sets', params: paging(1000, 1000) },
  package_create: {
    summary: 'Create a data set (published unless state is draft)',
    write: true,
    params: [
      { name: 'owner_org', type: 'string', required: true, maxLength: 120, description: 'the agency: id or name' },
      { ...datasetFields[1]!, required: true },
      ...datasetFields.filter((f) => f.name !== 'title'),
      { name: 'resources', type: 'array', description: 'links, as [{"url": "…", "name": "…", "format": "…"}]' },
      { name: 'state', type: 'string', enum: ['active', 'draft'], default: 'active', description: 'publish or not' },
    ],
  },
  package_patch: {
    summary: 'Change some fields of a data set',
    write: true,
    params: [
      id('the data set'),
      ...datasetFields,
      { name: 'state', type: 'string', enum: ['active', 'deleted'], description: 'publish or withdraw' },
    ],
  },
  organization_list: {
    summary: 'Agencies (organizations)',
    params: [
      ...paging(1000, 1000),
      { name: 'q', type: 'string', maxLength: 200, description: 'words of the name' },
      { name: 'all_fields', type: 'boolean', default: false, description: 'objects rather than names' },
    ],
  },
  organization_show: {
    summary: 'One agency',
    params: [
      id('the agency'),
      { name: 'include_datasets', type: 'boolean', default: false, description: 'with its first 10 data sets' },
    ],
  },
  group_list: {
    summary: 'Themes (groups)',
    params: [{ name: 'all_fields', type: 'boolean', default: false, description: 'objects rather than names' }],
  },
  group_show: { summary: 'One theme', params: [id('the theme', 60)] },
  tag_list: {
    summary: 'Keywords (tags) in use',
    params: [
      { name: 'query', type: 'string', maxLength: 80, description: 'the start of a keyword' },
      { name: 'limit', type: 'integer', default: 1000, minimum: 1, maximum: 5000, description: 'how many' },
      { name: 'all_fields', type: 'boolean', default: false, description: 'objects rather than names' },
    ],
  },
  license_list: { summary: 'Licences', params: [] },
  resource_show: { summary: 'One resource (file or link)', params: [id('the resource', 60)] },
  status_show: { summary: 'The site and the CKAN version it speaks', params: [] },
  datastore_search: {
    summary: "Rows of a resource's table",
    params: [
      { name: 'resource_id', type: 'string', required: true, maxLength: 60, description: 'the resource' },
      { name: 'filters', type: 'object', description: 'column: value (or list of values), as JSON' },
      { name: 'q', type: 'string', maxLength: 200, description: 'words to find in any column' },
      { name: 'fields', type: 'array', description: 'the columns to return' },
      { name: 'sort', type: 'string', maxLength: 500, description: 'column [asc|desc], …' },
      { name: 'distinct', type: 'boolean', default: false, description: 'distinct rows only' },
      { name: 'limit', type: 'integer', default: 100, minimum: 0, description: 'rows to return' },
      { name: 'offset', type: 'integer', default: 0, minimum: 0, description: 'rows to skip' },
      {
        name: 'records_format',
        type: 'string',
        default: 'objects',
        enum: ['objects', 'lists', 'csv', 'tsv'],
        description: 'the shape of records',
      },
    ],
  },
  datastore_search_sql: {
    summary: 'A read-only SQL query over the tables (guarded)',
    params: [{ name: 'sql', type: 'string', required: true, maxLength: 20000, description: 'one SELECT' }],
  },
  datastore_info: {
    summary: "A resource's table: columns and types",
    params: [{ name: 'resource_id', type: 'string', required: true, maxLength: 60, description: 'the resource' }],
  },
};

const schemaOf = ({ name: _n, description: _d, required: _r, example: _e, type, ...rest }: ActionParam) =>
  type === 'array' ? { type, items: { type: 'string' }, ...rest } : { type, ...rest };

function operation(name: string, doc: ActionDoc, method: 'get' | 'post') {
  const base = {
    summary: `${name}: ${doc.summary}`,
    tags: ['CKAN Action API'],
    responses: { '200': { description: 'CKAN envelope: {"help", "success": true, "result"}' } },
  };
  if (method === 'get')
    return {
      ...base,
      parameters: doc.params.map((p) => ({
        name: p.name,
        in: 'query',
        required: p.required ?? false,
        description: p.description,
        schema: schemaOf(p),
        ...(p.example !== undefined ? { example: p.example } : {}),
      })),
    };
  const properties = Object.fromEntries(
    doc.params.map((p) => [p.name, { ...schemaOf(p), description: p.description }]),
  );
  const required = doc.params.filter((p) => p.required).map((p) => p.name);
  return {
    ...base,
    security: [{ token: [] }],
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { type: 'object', properties, ...(required.length ? { required } : {}) } },
      },
    },
  };
}

/** The OpenAPI paths of the CKAN actions: GET for reads, POST for writes. */
export function ckanActionPaths(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(CKAN_ACTIONS).map(([name, doc]) => [
      `/api/3/action/${name}`,
      doc.write ? { post: operation(name, doc, 'post') } : { get: operation(name, doc, 'get') },
    ]),
  );
}
