import { DataFactory } from 'n3';

const ns = (base: string) => (local: string) => DataFactory.namedNode(`${base}${local}`);

export const PREFIXES = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  spdx: 'http://spdx.org/rdf/terms#',
  adms: 'http://www.w3.org/ns/adms#',
  dcatap: 'http://data.europa.eu/r5r/',
  locn: 'http://www.w3.org/ns/locn#',
};

export const dcat = ns(PREFIXES.dcat);
export const dct = ns(PREFIXES.dct);
export const foaf = ns(PREFIXES.foaf);
export const vcard = ns(PREFIXES.vcard);
export const skos = ns(PREFIXES.skos);
export const xsd = ns(PREFIXES.xsd);
export const rdf = ns(PREFIXES.rdf);
export const spdx = ns(PREFIXES.spdx);
export const dcatap = ns(PREFIXES.dcatap);

export const EU_AUTHORITY = 'http://publications.europa.eu/resource/authority/';
export const ACCESS_RIGHT: Record<string, string> = {
  public: `${EU_AUTHORITY}access-right/PUBLIC`,
  restricted: `${EU_AUTHORITY}access-right/RESTRICTED`,
  non_public: `${EU_AUTHORITY}access-right/NON_PUBLIC`,
};
/** Our frequency codes are the EU authority table's, except the one it spells differently. */
export const frequencyUri = (code: string) => `${EU_AUTHORITY}frequency/${code === 'IRREG' ? 'IRREG' : code}`;
/** EU file-type authority names for the formats we know; others are described as a literal-free IANA media type. */
const FILE_TYPES = new Set([
  'CSV',
  'JSON',
  'XML',
  'XLSX',
  'XLS',
  'ODS',
  'PDF',
  'ZIP',
  'GEOJSON',
  'TSV',
  'TXT',
  'HTML',
  'PARQUET',
  'KML',
  'SHP',
]);
export const fileTypeUri = (format: string) =>
  FILE_TYPES.has(format.toUpperCase()) ? `${EU_AUTHORITY}file-type/${format.toUpperCase()}` : null;
export const mediaTypeUri = (mt: string) => `https://www.iana.org/assignments/media-types/${mt}`;
