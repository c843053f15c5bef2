import { fold } from '../platform/text.js';
import type { AgencyRow } from '../masterdata/masterdata.service.js';
import type { DatasetRow, SearchText } from './datasets.repository.js';

/** What a data set is found by, folded: title and slug (A), keywords (B), descriptions (C), agency (D). */
export function datasetSearchText(
  d: Pick<DatasetRow, 'title_vi' | 'title_en' | 'keywords' | 'description_vi' | 'description_en' | 'slug'>,
  agency: Pick<AgencyRow, 'name_vi' | 'name_en' | 'abbreviation'>,
): SearchText {
  return {
    title: fold(`${d.title_vi} ${d.title_en ?? ''} ${d.slug.replace(/[-_]/g, ' ')}`),
    keywords: fold(d.keywords.join(' ')),
    description: fold(`${d.description_vi} ${d.description_en ?? ''}`).slice(0, 100_000),
    agency: fold(`${agency.name_vi} ${agency.name_en ?? ''} ${agency.abbreviation ?? ''}`),
  };
}
