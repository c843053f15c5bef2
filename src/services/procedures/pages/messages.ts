import type { Catalog } from '../../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The procedures' pages' strings, merged at start through `SERVICES_MESSAGES`. */
export const PROCEDURES_MESSAGES: Catalog = { vi, en };
