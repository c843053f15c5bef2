import type { Catalog } from '../../../web/i18n.js';
import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

/** The follow part's page strings (and the follow button's, which `web/` draws on other pages). */
export const FOLLOW_MESSAGES: Catalog = { vi, en };
