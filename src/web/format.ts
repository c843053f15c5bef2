import { LOCALE, type Lang } from './i18n.js';

/** 1.234.567 in Vietnamese, 1,234,567 in English. */
export const formatNumber = (n: number, lang: Lang) => new Intl.NumberFormat(LOCALE[lang]).format(n);

/** 24/11/2026 in both languages (day first), in Vietnam's time zone. */
export function formatDate(d: Date | string | null | undefined, lang: Lang): string {
  if (!d) return '';
  const date = typeof d === 'string' ? new Date(d) : d;
  return new Intl.DateTimeFormat(LOCALE[lang], { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(date);
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
  return `${new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}
