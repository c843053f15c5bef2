import { LOCALE, type Lang } from './i18n.js';

// Intl formatters are costly to build and cheap to reuse: one of each per language.
const numbers = { vi: new Intl.NumberFormat(LOCALE.vi), en: new Intl.NumberFormat(LOCALE.en) };
const decimals = {
  vi: new Intl.NumberFormat(LOCALE.vi, { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat(LOCALE.en, { maximumFractionDigits: 1 }),
};
const vnTime = 'Asia/Ho_Chi_Minh';
// Vietnamese readers write the day first with digits; English ones read 03/08 as 8 March: the month gets its name.
const dates = {
  vi: new Intl.DateTimeFormat(LOCALE.vi, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: vnTime }),
  en: new Intl.DateTimeFormat(LOCALE.en, { day: 'numeric', month: 'short', year: 'numeric', timeZone: vnTime }),
};

/** 1.234.567 in Vietnamese, 1,234,567 in English. */
export const formatNumber = (n: number, lang: Lang) => numbers[lang].format(n);

/** A score or share with at most one decimal: 94,5 in Vietnamese, 94.5 in English; a dash when there is none. */
export const formatScore = (n: number | null | undefined, lang: Lang) =>
  n === null || n === undefined ? '—' : decimals[lang].format(n);

/** 24/11/2026 in Vietnamese, 24 Nov 2026 in English, the day in Vietnam's time zone. */
export function formatDate(d: Date | string | null | undefined, lang: Lang): string {
  if (!d) return '';
  return dates[lang].format(typeof d === 'string' ? new Date(d) : d);
}

export function formatBytes(n: number | null | undefined, lang: Lang): string {
  if (n === null || n === undefined) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${(i === 0 ? numbers : decimals)[lang].format(i === 0 ? Math.round(v) : v)} ${units[i]}`;
}
