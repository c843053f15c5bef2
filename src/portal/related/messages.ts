import type { Catalog } from '../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The related section's strings, merged into the portal's at start (`portal.part.ts`). */
export const RELATED_MESSAGES: Catalog = { vi, en };
