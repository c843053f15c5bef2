import type { Catalog } from '../../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The offers' page strings, merged into the portal's at start (`SERVICES_MESSAGES`). */
export const OFFERS_MESSAGES: Catalog = { vi, en };
