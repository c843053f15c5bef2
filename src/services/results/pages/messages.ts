import type { Catalog } from '../../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The results' pages' strings, added to `SERVICES_MESSAGES` in `services.part.ts`. */
export const RESULTS_MESSAGES: Catalog = { vi, en };
