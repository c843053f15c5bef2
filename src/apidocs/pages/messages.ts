import type { Catalog } from '../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The API documentation pages' strings, merged into the portal's at start (`app.ts`, PAGE_CATALOGS). */
export const APIDOCS_MESSAGES: Catalog = { vi, en };
