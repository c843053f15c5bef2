import { formatDate } from '../../web/format.js';
import { LOCALE, type Lang } from '../../web/i18n.js';
import { formatDay } from '../../web/table-cells.js';

const VIETNAM = 'Asia/Ho_Chi_Minh';
const viTime = new Intl.DateTimeFormat(LOCALE.vi, {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: VIETNAM,
});
const enClock = new Intl.DateTimeFormat(LOCALE.en, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone: VIETNAM,
});
const vnDay = new Intl.DateTimeFormat('en-CA', { timeZone: VIETNAM }); // YYYY-MM-DD, the day in Vietnam

/**
 * A moment in Vietnam's time, to the second: 22:27:59 07/12/2026 as a Vietnamese reader writes it; 7 Dec 2026 22:27:59
 * in English, the portal's English style elsewhere (`web/table-cells.ts`), which no reader can take for 12 July.
 */
export const when = (d: Date, lang: Lang) =>
  lang === 'vi' ? viTime.format(d) : `${formatDay(vnDay.format(d), 'en')} ${enClock.format(d)}`;

/** A day in Vietnam's time: 07/12/2026 in Vietnamese, 7 Dec 2026 in English. */
export const day = (d: Date, lang: Lang) => (lang === 'vi' ? formatDate(d, 'vi') : formatDay(vnDay.format(d), 'en'));

/** A name in the page's language: the English one on English pages where the master data has it, else the Vietnamese. */
export const inLang = (lang: Lang, vi: string, en: string | null | undefined) => (lang === 'en' && en ? en : vi);
