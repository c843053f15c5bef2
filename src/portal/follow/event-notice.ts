import type { Notice } from '../notify.js';
import type { EventRow } from './follow.repository.js';

/** What followers are told of a catalog event, in both languages. */
export function eventNotice(e: EventRow): Omit<Notice, 'to'> {
  const vi = e.title_vi;
  const en = e.title_en ?? e.title_vi;
  const file = e.file_title ?? '';
  const link = `/dataset/${e.slug}`;
  switch (e.kind) {
    case 'dataset.published':
      return {
        kind: e.kind,
        subject: { vi: `Bộ dữ liệu mới: ${vi}`, en: `New data set: ${en}` },
        text: { vi: `Bộ dữ liệu “${vi}” đã được công bố.`, en: `The data set “${en}” was published.` },
        link,
      };
    case 'version.current':
      return {
        kind: e.kind,
        subject: { vi: `Phiên bản mới: ${vi}`, en: `New version: ${en}` },
        text: {
          vi: `Bảng “${file}” của bộ dữ liệu “${vi}” có phiên bản mới (phiên bản ${e.version ?? '?'}).`,
          en: `The table “${file}” of the data set “${en}” has a new version (version ${e.version ?? '?'}).`,
        },
        link,
      };
    default:
      return {
        kind: e.kind,
        subject: { vi: `Tệp mới: ${vi}`, en: `New file: ${en}` },
        text: {
          vi: `Bộ dữ liệu “${vi}” có tệp mới: “${file}”.`,
          en: `The data set “${en}” has a new file: “${file}”.`,
        },
        link,
      };
  }
}
