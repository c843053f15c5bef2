import type { CatalogService } from './catalog/catalog.service.js';
import { CATEGORY_LABELS, type PersonalDataCategory } from './catalog/personal-data.js';
import type { MasterDataService } from './masterdata/masterdata.service.js';
import type { BreachDeps } from './privacy/breach.service.js';

/**
 * Functions the composition root hands one part so it may use another's figures without importing it; kept here so
 * `app.ts` stays a list of what is built in which order.
 */

/** A breach's agency names and the personal-data categories its affected services' fields carry (catalog's flags). */
export function breachDeps(masterData: MasterDataService, catalog: CatalogService): BreachDeps {
  return {
    agencyName: async (id) => {
      const a = await masterData.agency(id);
      return { vi: a.name_vi, en: a.name_en };
    },
    // the categories of the fields the affected services declare, for the drafted notification
    fieldCategories: async (ids) => {
      const flagged = new Map<PersonalDataCategory, 'basic' | 'sensitive'>();
      for (const f of await catalog.dictionary.flags(ids)) if (f.category && f.level) flagged.set(f.category, f.level);
      return [...flagged].sort().map(([c, level]) => ({ level, ...CATEGORY_LABELS[c] }));
    },
  };
}
