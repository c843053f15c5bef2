import { describe, expect, it } from 'vitest';
import { scoreMetadata, type MqaInput } from './mqa.js';

const RECORD: MqaInput = {
  keywords: ['dân số'],
  themes: [],
  spatial: ['01'],
  temporal: { start: null, end: null },
  licence: { id: 'CC-BY-4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
  access_rights: 'public',
  contact: { name: null, email: 'data@mof.gov.vn' },
  publisher: true,
  issued: '2026-01-01T00:00:00Z',
  modified: '2026-06-01T00:00:00Z',
  distributions: [
    {
      id: 'a',
      kind: 'file',
      format: 'CSV',
      media_type: 'text/csv',
      byte_size: 1000,
      download_url: 'https://ndp.example/files/a',
    },
  ],
};

describe("data.europa.eu's metadata quality method", () => {
  it('scores a known record: 325 of 405, Good, with the DCAT-AP check not assessed', () => {
    const s = scoreMetadata(RECORD);
    expect(s.max).toBe(405);
    expect(s.dimensions).toEqual({
      findability: { points: 50, max: 100 },
      accessibility: { points: 100, max: 100 },
      interoperability: { points: 80, max: 110 },
      reusability: { points: 75, max: 75 },
      contextuality: { points: 20, max: 20 },
    });
    expect(s.total).toBe(325);
    expect(s.rating.id).toBe('good');
    expect(s.improvements.map((i) => [i.indicator, i.gain])).toEqual([
      ['categories', 30],
      ['dcat_ap_compliance', 30],
      ['temporal', 20],
    ]);
    expect(s.improvements.find((i) => i.indicator === 'dcat_ap_compliance')!.en).toMatch(/^Not assessed yet/);
    expect(s.improvements[0]!.en).toBe('Add themes → +30 points');
  });

  it('reaches 405 when everything is there and checked, and weighs distribution indicators by their share', () => {
    const full = scoreMetadata(
      { ...RECORD, themes: ['SOCI'], temporal: { start: '2019-01-01', end: null } },
      { dcatApCompliant: true },
    );
    expect(full.total).toBe(405);
    expect(full.rating.id).toBe('excellent');
    const mixed = scoreMetadata(
      {
        ...RECORD,
        distributions: [
          ...RECORD.distributions,
          { id: 'b', kind: 'link', format: 'XLS', media_type: null, byte_size: null, download_url: null },
        ],
      },
      { reachable: new Set(['b']) },
    );
    const ind = (id: string) => mixed.indicators.find((i) => i.id === id)!;
    expect(ind('non_proprietary').points).toBe(10); // one of two files in an open format
    expect(ind('media_type').points).toBe(5);
    expect(ind('access_url_status').points).toBe(50); // both reachable: the file is served, the link answered
    expect(ind('download_url_status').points).toBe(15);
  });

  it('does not score unprobed links as reachable', () => {
    const s = scoreMetadata({
      ...RECORD,
      distributions: [
        {
          id: 'x',
          kind: 'link',
          format: 'CSV',
          media_type: 'text/csv',
          byte_size: null,
          download_url: 'https://example.org/x.csv',
        },
      ],
    });
    expect(s.indicators.find((i) => i.id === 'access_url_status')).toMatchObject({ assessed: false, points: 0 });
  });
});
