import type { Catalog } from '../../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The dossiers' pages' strings (`SERVICES_MESSAGES`, merged at start). */
export const DOSSIERS_MESSAGES: Catalog = { vi, en };
