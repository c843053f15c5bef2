import { LOCALE, type Lang } from '../../web/i18n.js';

const options: Intl.DateTimeFormatOptions = {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'Asia/Ho_Chi_Minh',
};
const times = { vi: new Intl.DateTimeFormat(LOCALE.vi, options), en: new Intl.DateTimeFormat(LOCALE.en, options) };

/** 07/12/2026 14:10:46 in Vietnam's time, as a Vietnamese reader writes it (day first in English too). */
export const when = (d: Date, lang: Lang) => times[lang].format(d);

/** A name in the page's language: the English one on English pages where the master data has it, else the Vietnamese. */
export const inLang = (lang: Lang, vi: string, en: string | null | undefined) => (lang === 'en' && en ? en : vi);
