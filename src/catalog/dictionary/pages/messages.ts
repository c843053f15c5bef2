import type { Catalog } from '../../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The dictionary's pages' strings, merged into the portal's at start (`app.ts`, PAGE_CATALOGS). */
export const DICTIONARY_MESSAGES: Catalog = { vi, en };
