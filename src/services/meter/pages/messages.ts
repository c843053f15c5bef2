import type { Catalog } from '../../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The reuse meter's page strings, listed in `SERVICES_MESSAGES`. */
export const METER_MESSAGES: Catalog = { vi, en };
