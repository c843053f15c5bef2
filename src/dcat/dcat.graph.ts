import { DataFactory, type Quad, type NamedNode, type BlankNode } from 'n3';
import type { DatasetView } from '../catalog/dataset-view.js';
import type { AgencyRow, ThemeRow, UnitRow } from '../masterdata/masterdata.service.js';
import { themeUri } from '../masterdata/vocabularies.js';
import {
  ACCESS_RIGHT,
  dcat,
  dcatap,
  dct,
  EU_AUTHORITY,
  fileTypeUri,
  foaf,
  frequencyUri,
  mediaTypeUri,
  rdf,
  skos,
  spdx,
  vcard,
  xsd,
} from './vocab.js';

const { namedNode, literal, blankNode, quad } = DataFactory;
type Subject = NamedNode | BlankNode;

export interface GraphContext {
  baseUrl: string;
  themes: ThemeRow[];
  units: Map<string, UnitRow>;
}

/** Collects quads; each resource it links to is typed once, as the DCAT-AP range shapes ask. */
class GraphBuilder {
  readonly quads: Quad[] = [];
  private typed = new Set<string>();
  add(s: Subject, p: NamedNode, o: Quad['object']) {
    this.quads.push(quad(s, p, o));
  }
  text(s: Subject, p: NamedNode, value: string | null | undefined, lang?: string) {
    if (value) this.add(s, p, literal(value, lang));
  }
  typeOnce(node: NamedNode, cls: NamedNode, more?: () => void) {
    const key = `${node.value} ${cls.value}`;
    if (this.typed.has(key)) return;
    this.typed.add(key);
    this.add(node, rdf('type'), cls);
    more?.();
  }
}

/** ADMS licence types of the licences in our register. */
const LICENCE_TYPE: Record<string, string> = {
  'CC-BY-4.0': 'Attribution',
  'ODC-BY-1.0': 'Attribution',
  'OGL-UK-3.0': 'Attribution',
  'CC0-1.0': 'PublicDomain',
  'CC-BY-SA-4.0': 'ShareAlike',
  'ODbL-1.0': 'ShareAlike',
};

export const datasetUri = (baseUrl: string, slug: string) => `${baseUrl}/dataset/${slug}`;
export const agencyUri = (baseUrl: string, a: AgencyRow) => `${baseUrl}/agency/${a.slug}`;

function addAgency(g: GraphBuilder, ctx: GraphContext, a: AgencyRow): NamedNode {
  const node = namedNode(agencyUri(ctx.baseUrl, a));
  g.typeOnce(node, foaf('Agent'), () => {
    g.add(node, rdf('type'), foaf('Organization'));
    g.text(node, foaf('name'), a.name_vi, 'vi');
    g.text(node, foaf('name'), a.name_en, 'en');
    g.add(node, dct('identifier'), literal(a.code));
    const type = namedNode(
      `http://purl.org/adms/publishertype/${a.kind === 'province' || a.kind === 'commune' ? 'LocalAuthority' : 'NationalAuthority'}`,
    );
    g.add(node, dct('type'), type);
    g.typeOnce(type, skos('Concept'), () =>
      g.text(
        type,
        skos('prefLabel'),
        a.kind === 'province' || a.kind === 'commune' ? 'Local Authority' : 'National authority',
        'en',
      ),
    );
  });
  return node;
}

function addDistribution(
  g: GraphBuilder,
  ctx: GraphContext,
  v: DatasetView,
  x: DatasetView['distributions'][number],
  licence: NamedNode | null,
): NamedNode {
  const node = namedNode(`${ctx.baseUrl}/distribution/${x.id}`);
  g.add(node, rdf('type'), dcat('Distribution'));
  const access = namedNode(x.kind === 'file' ? `${ctx.baseUrl}/api/v1/distributions/${x.id}/download` : x.url!);
  g.add(node, dcat('accessURL'), access);
  if (x.kind === 'file') g.add(node, dcat('downloadURL'), access);
  g.text(node, dct('title'), x.title_vi, 'vi');
  g.text(node, dct('title'), x.title_en, 'en');
  g.text(
    node,
    dct('description'),
    x.description ?? `${x.title_vi}${x.format ? ` (${x.format})` : ''} — ${v.dataset.title_vi}`,
    'vi',
  );
  const availability = namedNode(`${EU_AUTHORITY}planned-availability/${x.kind === 'file' ? 'STABLE' : 'AVAILABLE'}`);
  g.add(node, dcatap('availability'), availability);
  g.typeOnce(availability, skos('Concept'), () =>
    g.text(availability, skos('prefLabel'), x.kind === 'file' ? 'stable' : 'available', 'en'),
  );
  const fileType = x.format ? fileTypeUri(x.format) : null;
  if (fileType) {
    const ft = namedNode(fileType);
    g.add(node, dct('format'), ft);
    g.typeOnce(ft, dct('MediaTypeOrExtent'));
  }
  if (x.media_type) {
    const mt = namedNode(mediaTypeUri(x.media_type));
    g.add(node, dcat('mediaType'), mt);
    g.typeOnce(mt, dct('MediaType'));
  }
  if (x.byte_size !== null) g.add(node, dcat('byteSize'), literal(String(x.byte_size), xsd('decimal')));
  if (x.sha256) {
    const c = blankNode();
    g.add(node, spdx('checksum'), c);
    g.add(c, rdf('type'), spdx('Checksum'));
    g.add(c, spdx('algorithm'), spdx('checksumAlgorithm_sha256'));
    g.add(c, spdx('checksumValue'), literal(x.sha256, xsd('hexBinary')));
  }
  if (licence) g.add(node, dct('license'), licence);
  g.add(node, dct('issued'), literal(x.created_at.toISOString(), xsd('dateTime')));
  g.add(node, dct('modified'), literal(x.updated_at.toISOString(), xsd('dateTime')));
  const rights = namedNode(ACCESS_RIGHT[v.dataset.access_rights]!);
  g.add(node, dct('rights'), rights);
  g.typeOnce(rights, dct('RightsStatement'));
  return node;
}

function addDataset(g: GraphBuilder, ctx: GraphContext, v: DatasetView): NamedNode {
  const d = v.dataset;
  const node = namedNode(datasetUri(ctx.baseUrl, d.slug));
  g.add(node, rdf('type'), dcat('Dataset'));
  g.add(node, dct('identifier'), literal(d.id));
  g.text(node, dct('title'), d.title_vi, 'vi');
  g.text(node, dct('title'), d.title_en, 'en');
  g.text(node, dct('description'), d.description_vi, 'vi');
  g.text(node, dct('description'), d.description_en, 'en');
  for (const k of d.keywords) g.text(node, dcat('keyword'), k, 'vi');
  for (const id of d.themes) {
    const t = namedNode(themeUri(id, ctx.baseUrl));
    const theme = ctx.themes.find((x) => x.id === id);
    g.add(node, dcat('theme'), t);
    g.typeOnce(t, skos('Concept'), () => {
      g.text(t, skos('prefLabel'), theme?.label_vi ?? id, 'vi');
      g.text(t, skos('prefLabel'), theme?.label_en, 'en');
      g.add(
        t,
        skos('inScheme'),
        namedNode(id.startsWith('vn-') ? `${ctx.baseUrl}/def/sector` : `${EU_AUTHORITY}data-theme`),
      );
    });
  }
  g.add(node, dct('publisher'), addAgency(g, ctx, v.agency));
  const lang = namedNode(`${EU_AUTHORITY}language/VIE`);
  g.add(node, dct('language'), lang);
  g.typeOnce(lang, dct('LinguisticSystem'));
  // Without a named contact, the publishing agency itself is the contact point.
  const c = blankNode();
  g.add(node, dcat('contactPoint'), c);
  g.add(c, rdf('type'), vcard('Kind'));
  g.add(c, rdf('type'), vcard('Organization'));
  g.text(c, vcard('fn'), d.contact_name ?? v.agency.name_vi);
  const email = d.contact_email ?? v.agency.email;
  if (email) g.add(c, vcard('hasEmail'), namedNode(`mailto:${email}`));
  g.add(c, vcard('hasURL'), namedNode(v.agency.website ?? agencyUri(ctx.baseUrl, v.agency)));
  for (const code of d.spatial) {
    const u = namedNode(`${ctx.baseUrl}/unit/${code}`);
    g.add(node, dct('spatial'), u);
    g.typeOnce(u, dct('Location'), () => g.text(u, skos('prefLabel'), ctx.units.get(code)?.full_name, 'vi'));
  }
  if (d.temporal_start || d.temporal_end) {
    const t = blankNode();
    g.add(node, dct('temporal'), t);
    g.add(t, rdf('type'), dct('PeriodOfTime'));
    if (d.temporal_start) g.add(t, dcat('startDate'), literal(d.temporal_start, xsd('date')));
    if (d.temporal_end) g.add(t, dcat('endDate'), literal(d.temporal_end, xsd('date')));
  }
  const rights = namedNode(ACCESS_RIGHT[d.access_rights]!);
  g.add(node, dct('accessRights'), rights);
  g.typeOnce(rights, dct('RightsStatement'));
  if (d.update_frequency !== 'UNKNOWN') {
    const f = namedNode(frequencyUri(d.update_frequency));
    g.add(node, dct('accrualPeriodicity'), f);
    g.typeOnce(f, dct('Frequency'));
  }
  if (d.issued) g.add(node, dct('issued'), literal(d.issued.toISOString(), xsd('dateTime')));
  g.add(node, dct('modified'), literal(d.modified.toISOString(), xsd('dateTime')));
  const page = namedNode(datasetUri(ctx.baseUrl, d.slug));
  g.add(node, dcat('landingPage'), page);
  g.typeOnce(page, foaf('Document'));
  let licence: NamedNode | null = null;
  if (v.licence) {
    licence = namedNode(v.licence.url);
    g.typeOnce(licence, dct('LicenseDocument'), () => {
      g.text(licence!, dct('title'), v.licence!.title_vi, 'vi');
      g.text(licence!, dct('title'), v.licence!.title_en, 'en');
      g.add(licence!, dct('identifier'), literal(v.licence!.id));
      const kind = LICENCE_TYPE[v.licence!.id];
      if (kind) {
        const t = namedNode(`http://purl.org/adms/licencetype/${kind}`);
        g.add(licence!, dct('type'), t);
        g.typeOnce(t, skos('Concept'), () => g.text(t, skos('prefLabel'), kind, 'en'));
      }
    });
  }
  for (const x of v.distributions) g.add(node, dcat('distribution'), addDistribution(g, ctx, v, x, licence));
  return node;
}

export function datasetGraph(ctx: GraphContext, v: DatasetView): Quad[] {
  const g = new GraphBuilder();
  addDataset(g, ctx, v);
  return g.quads;
}

export function catalogGraph(
  ctx: GraphContext,
  views: DatasetView[],
  meta: { issued: Date; modified: Date; total: number; next: string | null },
): Quad[] {
  const g = new GraphBuilder();
  const cat = namedNode(`${ctx.baseUrl}/catalog`);
  g.add(cat, rdf('type'), dcat('Catalog'));
  g.text(cat, dct('title'), 'Danh mục dữ liệu quốc gia', 'vi');
  g.text(cat, dct('title'), 'National data catalog', 'en');
  g.text(
    cat,
    dct('description'),
    'Danh mục các bộ dữ liệu do các bộ, ngành, địa phương công bố trên nền tảng dữ liệu quốc gia.',
    'vi',
  );
  g.text(
    cat,
    dct('description'),
    'Data sets published by ministries, agencies and provinces on the national data platform.',
    'en',
  );
  const publisher = namedNode(`${ctx.baseUrl}/agency/bo-cong-an`);
  g.add(cat, dct('publisher'), publisher);
  g.typeOnce(publisher, foaf('Agent'), () => {
    g.text(publisher, foaf('name'), 'Bộ Công an (Trung tâm Dữ liệu quốc gia)', 'vi');
    const type = namedNode('http://purl.org/adms/publishertype/NationalAuthority');
    g.add(publisher, dct('type'), type);
    g.typeOnce(type, skos('Concept'), () => g.text(type, skos('prefLabel'), 'National authority', 'en'));
  });
  // The catalog's own metadata is dedicated to the public domain, as on data.europa.eu.
  const metaLicence = namedNode('https://creativecommons.org/publicdomain/zero/1.0/');
  g.add(cat, dct('license'), metaLicence);
  g.typeOnce(metaLicence, dct('LicenseDocument'), () => {
    const t = namedNode('http://purl.org/adms/licencetype/PublicDomain');
    g.add(metaLicence, dct('type'), t);
    g.typeOnce(t, skos('Concept'), () => g.text(t, skos('prefLabel'), 'PublicDomain', 'en'));
  });
  g.add(cat, dct('issued'), literal(meta.issued.toISOString(), xsd('dateTime')));
  const home = namedNode(`${ctx.baseUrl}/`);
  g.add(cat, foaf('homepage'), home);
  g.typeOnce(home, foaf('Document'));
  const lang = namedNode(`${EU_AUTHORITY}language/VIE`);
  g.add(cat, dct('language'), lang);
  g.typeOnce(lang, dct('LinguisticSystem'));
  const scheme = namedNode(`${EU_AUTHORITY}data-theme`);
  g.add(cat, dcat('themeTaxonomy'), scheme);
  g.typeOnce(scheme, skos('ConceptScheme'), () => g.text(scheme, dct('title'), 'Data theme', 'en'));
  g.add(cat, dct('modified'), literal(meta.modified.toISOString(), xsd('dateTime')));
  const spatial = namedNode('http://publications.europa.eu/resource/authority/country/VNM');
  g.add(cat, dct('spatial'), spatial);
  g.typeOnce(spatial, dct('Location'));
  for (const v of views) g.add(cat, dcat('dataset'), addDataset(g, ctx, v));
  return g.quads;
}
