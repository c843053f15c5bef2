import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { apiModel, slugOf, type OpenApiDocument } from './openapi-model.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** The text a reader sees: tags dropped, entities decoded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** The API documentation as pages in the portal's frame, from the OpenAPI document the routes make. */
describe('API documentation pages', () => {
  let h: Harness;
  let doc: OpenApiDocument;
  const get = (url: string) => h.inject({ method: 'GET', url });

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    doc = (await get('/api/openapi.json')).json();
  });
  afterAll(() => h.close());

  it('serves the OpenAPI document, with each CKAN action as an operation of its own, and links it', async () => {
    expect(doc.paths?.['/api/3/action/package_search']?.get).toBeDefined();
    expect(doc.paths?.['/api/3/action/package_create']?.post).toBeDefined();
    expect((await get('/api/docs/json')).json()).toEqual(doc);
    expect((await get('/api/docs')).body).toContain('href="/api/openapi.json"');
  });

  it('lists every operation of the document on the index, and each has a page in the frame', async () => {
    const index = (await get('/api/docs')).body;
    let count = 0;
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of METHODS.filter((m) => m in item)) {
        count++;
        const href = `/api/docs/${slugOf(method, path)}`;
        expect(index, `${method} ${path}`).toContain(`href="${href}"`);
        const res = await get(href);
        expect(res.statusCode, href).toBe(200);
        expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
        expect(res.body, href).toContain('class="site-header"');
        expect(textOf(res.body), href).toContain(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(count).toBeGreaterThan(140);
  });

  it("shows package_search's parameters in a table, and a curl call with them", async () => {
    const res = await get('/api/docs/get-api-3-action-package_search?lang=en');
    const table = /<table class="api-params">[\s\S]*?<\/table>/.exec(res.body)?.[0] ?? '';
    for (const name of ['q', 'fq', 'rows', 'start', 'sort', 'facet.field'])
      expect(table).toContain(`<code>${name}</code>`);
    expect(textOf(table)).toContain('at most this many characters: 500');
    const text = textOf(res.body);
    expect(text).toContain("curl -G 'http://ndp.test/api/3/action/package_search' \\ --data-urlencode 'q=dân số'");
    expect(text).toContain("CKAN's envelope");
  });

  it('renders a body as a nested list with its rules, the error codes and a call with a token', async () => {
    const text = textOf((await get('/api/docs/post-api-v1-datasets?lang=en')).body);
    expect(text).toMatch(/title_vi string required/);
    expect(text).toMatch(/agency_id string required format uuid/);
    for (const code of ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN']) expect(text).toContain(code);
    expect(text).toContain('-H "Authorization: Bearer $NDP_TOKEN"');
    expect(text).toMatch(/-d '\{"agency_id":"00000000-0000-0000-0000-000000000000"/);
  });

  it('speaks Vietnamese by default and English on request', async () => {
    const vi = textOf((await get('/api/docs/get-api-v1-datasets')).body);
    for (const s of ['Tham số', 'Nội dung gửi', 'Kết quả trả về', 'Mã lỗi', 'Lệnh gọi mẫu']) expect(vi).toContain(s);
    const en = textOf((await get('/api/docs/get-api-v1-datasets?lang=en')).body);
    for (const s of ['Parameters', 'Request body', 'Responses', 'Error codes', 'Example call']) expect(en).toContain(s);
    expect(textOf((await get('/api/docs')).body)).toContain('Tài liệu API');
    expect(textOf((await get('/api/docs?lang=en')).body)).toContain('API documentation');
  });

  it('answers an unknown operation with the coded not-found page', async () => {
    const res = await h.inject({ method: 'GET', url: '/api/docs/get-nothing', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
  });

  it('resolves every $ref, a recursive one included, and leaves none on the pages', async () => {
    const withRefs: OpenApiDocument = {
      components: {
        schemas: {
          Agency: {
            type: 'object',
            required: ['code'],
            properties: { code: { type: 'string', maxLength: 20 }, parent: { $ref: '#/components/schemas/Agency' } },
          },
        },
      },
      paths: {
        '/agencies': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Agency' } } } },
          },
        },
      },
    };
    const body = apiModel(withRefs).bySlug.get('post-agencies')!.body!.schema;
    expect(body.fields.map((f) => [f.name, f.required])).toEqual([
      ['code', true],
      ['parent', false],
    ]);
    expect(body.fields[0]!.rules).toEqual([{ key: 'maxLength', value: '20' }]);
    // the shape met again inside itself is named, not followed
    expect(body.fields[1]!.rules).toEqual([{ key: 'seeAbove', value: 'Agency' }]);
    for (const url of ['/api/docs', '/api/docs/post-api-v1-datasets', '/api/docs/get-api-3-action-package_search'])
      expect((await get(url)).body).not.toContain('$ref');
  });
});
