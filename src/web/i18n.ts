import vi from './i18n/vi.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

export type Lang = 'vi' | 'en';
export type MessageKey = keyof typeof vi;
const MESSAGES: Record<Lang, Record<string, string>> = { vi, en };

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A translator for one language; a key missing in English falls back to Vietnamese. */
export function translator(lang: Lang): T {
  return (key, vars) => {
    const text = MESSAGES[lang][key] ?? MESSAGES.vi[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? `{${k}}`)) : text;
  };
}

export const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };
