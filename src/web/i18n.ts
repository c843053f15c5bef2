import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

export type Lang = 'vi' | 'en';
/** A page string's key, `area.name`. Every key a page uses is checked against the catalogs by `i18n.test.ts`. */
export type MessageKey = string;
/** A part's page strings in both languages, kept beside its pages as `i18n/vi.json` and `i18n/en.json`. */
export interface Catalog {
  vi: Record<string, string>;
  en: Record<string, string>;
}

// web's own strings (layout, shared components, the pages still in web/); parts add theirs at start
const MESSAGES: Record<Lang, Record<string, string>> = { vi: { ...vi }, en: { ...en } };

/**
 * Merges a part's catalog into the portal's (app.ts, at start). A key given two different texts is a mistake that
 * would show one part's words on another's page, so it stops the start.
 */
export function addMessages(catalog: Catalog): void {
  for (const lang of ['vi', 'en'] as const) {
    for (const [key, text] of Object.entries(catalog[lang])) {
      const had = MESSAGES[lang][key];
      if (had !== undefined && had !== text) throw new Error(`translation key ${key} (${lang}) is defined twice`);
      MESSAGES[lang][key] = text;
    }
  }
}

/** Every key and its text in one language, as merged so far (for tests). */
export const messagesOf = (lang: Lang): Readonly<Record<string, string>> => MESSAGES[lang];

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translator for one language; a key missing in English falls back to Vietnamese. */
export function translator(lang: Lang): T {
  return (key, vars) => {
    const text = MESSAGES[lang][key] ?? MESSAGES.vi[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? `{${k}}`)) : text;
  };
}

export const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };
