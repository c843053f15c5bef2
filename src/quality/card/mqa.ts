/**
 * Metadata quality as data.europa.eu's Metadata Quality Assessment (MQA)
 * scores it: five dimensions, 405 points, data-set indicators met or not and
 * distribution indicators weighted by the share of distributions that meet
 * them. Each missed indicator becomes an improvement with what it would gain.
 * Accessibility of links and DCAT-AP compliance need facts from outside the
 * record; when they are not given, the indicator says "not assessed" and
 * scores nothing (never a silent pass).
 */
export interface MqaInput {
  keywords: string[];
  themes: string[];
  spatial: string[];
  temporal: { start: string | null; end: string | null };
  licence: { id: string; url: string | null } | null;
  access_rights: string | null;
  contact: { name: string | null; email: string | null };
  publisher: boolean;
  issued: string | null;
  modified: string | null;
  distributions: {
    id: string;
    kind: string;
    format: string | null;
    media_type: string | null;
    byte_size: number | null;
    download_url: string | null;
  }[];
}
export interface MqaFacts {
  /** distributions whose access URL answered 200 when probed; stored files are served by the platform itself */
  reachable?: Set<string>;
  /** whether the record passes the DCAT-AP SHACL shapes */
  dcatApCompliant?: boolean;
}

type Dimension = 'findability' | 'accessibility' | 'interoperability' | 'reusability' | 'contextuality';
export interface Indicator {
  id: string;
  dimension: Dimension;
  max: number;
  points: number;
  assessed: boolean;
  vi: string;
  en: string;
}

const KNOWN_FORMATS = new Set([
  'CSV',
  'TSV',
  'JSON',
  'NDJSON',
  'GEOJSON',
  'XML',
  'XLSX',
  'XLS',
  'ODS',
  'PDF',
  'TXT',
  'RDF',
  'TTL',
  'JSONLD',
  'PARQUET',
  'ZIP',
  'DOCX',
  'DOC',
  'HTML',
  'SHP',
  'KML',
  'GPKG',
]);
const NON_PROPRIETARY = new Set([
  'CSV',
  'TSV',
  'JSON',
  'NDJSON',
  'GEOJSON',
  'XML',
  'ODS',
  'PDF',
  'TXT',
  'RDF',
  'TTL',
  'JSONLD',
  'PARQUET',
  'HTML',
  'KML',
  'GPKG',
]);
const MACHINE_READABLE = new Set([
  'CSV',
  'TSV',
  'JSON',
  'NDJSON',
  'GEOJSON',
  'XML',
  'XLSX',
  'XLS',
  'ODS',
  'RDF',
  'TTL',
  'JSONLD',
  'PARQUET',
  'KML',
  'GPKG',
  'SHP',
]);
const ACCESS_RIGHTS = new Set(['public', 'restricted', 'non_public']);

export const RATINGS = [
  { min: 351, id: 'excellent', vi: 'Xuất sắc', en: 'Excellent' },
  { min: 221, id: 'good', vi: 'Tốt', en: 'Good' },
  { min: 121, id: 'sufficient', vi: 'Đạt', en: 'Sufficient' },
  { min: 0, id: 'bad', vi: 'Kém', en: 'Bad' },
] as const;

export function scoreMetadata(d: MqaInput, facts: MqaFacts = {}) {
  const n = d.distributions.length;
  const share = (pred: (x: MqaInput['distributions'][number]) => boolean) =>
    n ? d.distributions.filter(pred).length / n : 0;
  const indicators: Indicator[] = [];
  const add = (id: string, dimension: Dimension, max: number, met: number | boolean | null, vi: string, en: string) => {
    const assessed = met !== null;
    const points = !assessed ? 0 : typeof met === 'boolean' ? (met ? max : 0) : Math.round(max * met * 10) / 10;
    indicators.push({ id, dimension, max, points, assessed, vi, en });
  };
  add('keywords', 'findability', 30, d.keywords.length > 0, 'Thêm từ khóa', 'Add keywords');
  add('categories', 'findability', 30, d.themes.length > 0, 'Gắn chủ đề', 'Add themes');
  add('spatial', 'findability', 20, d.spatial.length > 0, 'Ghi phạm vi địa lý', 'Add the spatial coverage');
  add(
    'temporal',
    'findability',
    20,
    Boolean(d.temporal.start || d.temporal.end),
    'Ghi khoảng thời gian của dữ liệu',
    'Add the temporal coverage',
  );

  // a stored file is served by the platform itself; a link is reachable only if a probe said so
  const reachable = (x: MqaInput['distributions'][number]) => x.kind === 'file' || Boolean(facts.reachable?.has(x.id));
  const linksUnprobed = !facts.reachable && d.distributions.some((x) => x.kind !== 'file');
  add(
    'access_url_status',
    'accessibility',
    50,
    linksUnprobed ? null : share(reachable),
    'Sửa các liên kết không truy cập được',
    'Fix the links that do not answer',
  );
  add(
    'download_url',
    'accessibility',
    20,
    share((x) => Boolean(x.download_url)),
    'Cung cấp đường dẫn tải trực tiếp',
    'Give direct download URLs',
  );
  add(
    'download_url_status',
    'accessibility',
    30,
    linksUnprobed ? null : share((x) => Boolean(x.download_url) && reachable(x)),
    'Sửa các đường dẫn tải không truy cập được',
    'Fix the download URLs that do not answer',
  );

  const fmt = (x: MqaInput['distributions'][number]) => (x.format ?? '').toUpperCase();
  add(
    'format',
    'interoperability',
    20,
    share((x) => Boolean(x.format)),
    'Ghi định dạng của từng tệp',
    "State every file's format",
  );
  add(
    'media_type',
    'interoperability',
    10,
    share((x) => Boolean(x.media_type)),
    'Ghi kiểu MIME của từng tệp',
    "State every file's media type",
  );
  add(
    'format_vocabulary',
    'interoperability',
    10,
    share((x) => KNOWN_FORMATS.has(fmt(x))),
    'Dùng định dạng trong danh mục chuẩn',
    'Use formats from the controlled vocabulary',
  );
  add(
    'non_proprietary',
    'interoperability',
    20,
    share((x) => NON_PROPRIETARY.has(fmt(x))),
    'Cung cấp thêm bản ở định dạng mở (CSV, JSON…)',
    'Also publish an open format (CSV, JSON…)',
  );
  add(
    'machine_readable',
    'interoperability',
    20,
    share((x) => MACHINE_READABLE.has(fmt(x))),
    'Cung cấp thêm bản máy đọc được (CSV, JSON, XLSX…)',
    'Also publish a machine-readable format (CSV, JSON, XLSX…)',
  );
  add(
    'dcat_ap_compliance',
    'interoperability',
    30,
    facts.dcatApCompliant ?? null,
    'Sửa siêu dữ liệu cho đúng DCAT-AP',
    'Make the metadata DCAT-AP compliant',
  );

  add('licence', 'reusability', 20, Boolean(d.licence), 'Chọn giấy phép', 'Add a licence');
  add(
    'licence_vocabulary',
    'reusability',
    10,
    Boolean(d.licence?.url),
    'Dùng giấy phép có trong danh mục (có URL)',
    'Use a licence from the register (with its URL)',
  );
  add('access_rights', 'reusability', 10, Boolean(d.access_rights), 'Ghi quyền truy cập', 'State the access rights');
  add(
    'access_rights_vocabulary',
    'reusability',
    5,
    ACCESS_RIGHTS.has(d.access_rights ?? ''),
    'Dùng quyền truy cập theo danh mục',
    'Use access rights from the vocabulary',
  );
  add(
    'contact_point',
    'reusability',
    20,
    Boolean(d.contact.email || d.contact.name),
    'Thêm đầu mối liên hệ',
    'Add a contact point',
  );
  add('publisher', 'reusability', 10, d.publisher, 'Ghi cơ quan công bố', 'State the publisher');

  add('rights', 'contextuality', 5, Boolean(d.licence || d.access_rights), 'Ghi quyền sử dụng', 'State the rights');
  add(
    'byte_size',
    'contextuality',
    5,
    share((x) => x.byte_size !== null),
    'Ghi dung lượng của từng tệp',
    "State every file's size",
  );
  add('issued', 'contextuality', 5, Boolean(d.issued), 'Ghi ngày công bố', 'State the date of issue');
  add('modified', 'contextuality', 5, Boolean(d.modified), 'Ghi ngày cập nhật', 'State the modification date');

  const dims = ['findability', 'accessibility', 'interoperability', 'reusability', 'contextuality'] as const;
  const total = Math.round(indicators.reduce((s, i) => s + i.points, 0) * 10) / 10;
  const rating = RATINGS.find((r) => total >= r.min)!;
  return {
    total,
    max: 405,
    rating: { id: rating.id, vi: rating.vi, en: rating.en },
    dimensions: Object.fromEntries(
      dims.map((k) => {
        const of = indicators.filter((i) => i.dimension === k);
        return [
          k,
          {
            points: Math.round(of.reduce((s, i) => s + i.points, 0) * 10) / 10,
            max: of.reduce((s, i) => s + i.max, 0),
          },
        ];
      }),
    ) as Record<Dimension, { points: number; max: number }>,
    indicators,
    // the fixes, largest gain first: "Add a licence → +20 points"
    improvements: indicators
      .filter((i) => i.points < i.max)
      .map((i) => ({
        indicator: i.id,
        gain: Math.round((i.max - i.points) * 10) / 10,
        vi: i.assessed
          ? `${i.vi} → +${Math.round((i.max - i.points) * 10) / 10} điểm`
          : `Chưa đánh giá được: ${i.vi.toLowerCase()}`,
        en: i.assessed
          ? `${i.en} → +${Math.round((i.max - i.points) * 10) / 10} points`
          : `Not assessed yet: ${i.en.toLowerCase()}`,
      }))
      .sort((a, b) => b.gain - a.gain),
  };
}
