import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFactory } from 'n3';
import { testDrivers } from '../../test/drivers.js';
import { buildDataset, buildDistribution, publishDataset } from '../../test/factories.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { loadCatalog, SAMPLE } from '../../test/catalog-fixture.js';
import { jsonLdToQuads, SHAPES, turtleToQuads, validate } from '../../test/shacl.js';

// Geometry (bbox, centroid) of administrative units is not in our master data yet.
const GEOMETRY = new Set(['http://www.w3.org/ns/dcat#bbox', 'http://www.w3.org/ns/dcat#centroid']);

for (const driver of testDrivers()) {
  describe(`DCAT-AP 3 on ${driver.name}`, () => {
    let h: Harness;
    let slug: string;
    const mandatory = SHAPES.mandatory();
    const recommended = SHAPES.recommended();
    beforeAll(async () => {
      h = await startHarness(driver);
      await loadCatalog(h, SAMPLE);
      const d = await buildDataset(h, {
        title_vi: 'Dân số theo huyện, 2019',
        title_en: 'Population by district, 2019',
        description_vi: 'Tổng điều tra dân số 2019.',
        description_en: '2019 census.',
        keywords: ['dân số'],
        themes: ['SOCI'],
        spatial: ['01', '79'],
        temporal_start: '2019-04-01',
        temporal_end: '2019-04-01',
        licence_id: 'CC-BY-4.0',
        update_frequency: 'IRREG',
        contact_name: 'Cục Thống kê',
        contact_email: 'thongke@mof.gov.vn',
      });
      await buildDistribution(h, {
        dataset: d,
        description: 'Bảng dân số',
        fileName: 'dan_so.csv',
        csv: 'ma,dan_so\n001,100\n',
      });
      await publishDataset(h, d);
      slug = d.slug;
    });
    afterAll(() => h.close());

    it('a complete data set has zero violations and no recommended-shape warnings but geometry, in Turtle and JSON-LD', async () => {
      const ttl = await h.inject({ method: 'GET', url: `/dataset/${slug}.ttl` });
      expect(ttl.headers['content-type']).toMatch(/text\/turtle/);
      const fromTtl = turtleToQuads(ttl.body);
      const jl = await h.inject({ method: 'GET', url: `/dataset/${slug}.jsonld` });
      expect(jl.headers['content-type']).toMatch(/application\/ld\+json/);
      const fromJsonLd = await jsonLdToQuads(jl.json());
      expect(fromJsonLd.length).toBe(fromTtl.length);
      for (const quads of [fromTtl, fromJsonLd]) {
        expect(await validate(mandatory, quads)).toEqual([]);
        const warnings = (await validate(recommended, quads)).filter((w) => !GEOMETRY.has(w.path));
        expect(warnings).toEqual([]);
      }
      expect(ttl.body).toContain('spdx:checksumValue');
      expect(ttl.body).toContain('<http://publications.europa.eu/resource/authority/data-theme/SOCI>');
    });

    it('the whole catalog has zero violations', async () => {
      const res = await h.inject({ method: 'GET', url: '/catalog.ttl' });
      const quads = turtleToQuads(res.body);
      expect(quads.filter((q) => q.object.value === 'http://www.w3.org/ns/dcat#Dataset')).toHaveLength(6);
      expect(await validate(mandatory, quads)).toEqual([]);
      const jl = await jsonLdToQuads((await h.inject({ method: 'GET', url: '/catalog.jsonld' })).json());
      expect(await validate(mandatory, jl)).toEqual([]);
    });

    it('the validator does catch a broken record (the check can fail)', async () => {
      const quads = turtleToQuads((await h.inject({ method: 'GET', url: `/dataset/${slug}.ttl` })).body);
      const broken = quads.filter(
        (q) => !(q.predicate.value === 'http://purl.org/dc/terms/title' && q.subject.value.endsWith(slug)),
      );
      broken.push(
        DataFactory.quad(
          DataFactory.namedNode(`http://ndp.test/dataset/${slug}`),
          DataFactory.namedNode('http://purl.org/dc/terms/publisher'),
          DataFactory.literal('a string, not an agent'),
        ),
      );
      const found = await validate(mandatory, broken);
      expect(found.map((f) => f.path)).toEqual(
        expect.arrayContaining(['http://purl.org/dc/terms/title', 'http://purl.org/dc/terms/publisher']),
      );
    });

    it('negotiates /dataset/{id} by Accept, pages the catalog, and hides drafts', async () => {
      const turtle = await h.inject({ method: 'GET', url: `/dataset/${slug}`, headers: { accept: 'text/turtle' } });
      expect(turtle.headers['content-type']).toMatch(/turtle/);
      const jl = await h.inject({ method: 'GET', url: `/dataset/${slug}`, headers: { accept: 'application/ld+json' } });
      expect(jl.headers['content-type']).toMatch(/ld\+json/);
      const pdf = await h.inject({ method: 'GET', url: `/dataset/${slug}`, headers: { accept: 'application/pdf' } });
      expect(pdf.statusCode).toBe(406);
      expect(pdf.json().error.code).toBe('NOT_ACCEPTABLE');
      const page = await h.inject({ method: 'GET', url: '/catalog.ttl?limit=2' });
      expect(page.headers.link).toContain('offset=2');
      expect(page.headers['x-total-count']).toBe('6');
      expect((await h.inject({ method: 'GET', url: '/dataset/ban-nhap-chua-cong-bo-ve-ha-noi.ttl' })).statusCode).toBe(
        404,
      );
    });
  });
}
