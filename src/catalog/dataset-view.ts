import type { AgencyRow, LicenceRow } from '../masterdata/masterdata.service.js';
import type { DatasetRow, DistributionRow } from './datasets.repository.js';

/** A data set with what every presenter needs beside it (agency, files, licence). */
export interface DatasetView {
  dataset: DatasetRow;
  agency: AgencyRow;
  distributions: DistributionRow[];
  licence: LicenceRow | null;
}
