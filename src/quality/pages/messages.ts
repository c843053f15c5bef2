import type { Catalog } from '../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** Quality's page strings (the card, the ranking, the overdue list, the check suite), merged at start by app.ts. */
export const qualityMessages: Catalog = { vi, en };
