const BY_EXTENSION: Record<string, string> = {
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  geojson: 'application/geo+json',
  xml: 'application/xml',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  pdf: 'application/pdf',
  zip: 'application/zip',
  parquet: 'application/vnd.apache.parquet',
  txt: 'text/plain',
  html: 'text/html',
  shp: 'application/vnd.shp',
  kml: 'application/vnd.google-earth.kml+xml',
};

/** The media type of a file, from its extension first (browsers send vague types), else what the client said. */
export function mediaTypeFor(ext: string, declared: string | undefined): string {
  return BY_EXTENSION[ext] ?? (declared && /^[a-z]+\/[\w.+-]+$/.test(declared) ? declared : 'application/octet-stream');
}
