import type { PrefillProblem, PrefillProblemCode } from './prefill.types.js';

/** A register's name as the citizen reads it, in both languages. */
export interface Named {
  vi: string;
  en: string;
}

const ANY_REGISTER: Named = { vi: 'Cơ sở dữ liệu', en: 'The register' };
const TYPE_IT = { vi: 'bạn hãy tự nhập.', en: 'please type it.' };

const problem = (code: PrefillProblemCode, vi: string, en: string): PrefillProblem => ({
  code,
  vi: `${vi}; ${TYPE_IT.vi}`,
  en: `${en}; ${TYPE_IT.en}`,
});

/**
 * Why a field came back empty, in words a citizen understands and can act on: every message ends by asking them to
 * type the value, so the form never stalls on a register.
 */
export const problems = {
  noSource: () =>
    problem('no_source', 'Chưa có cơ sở dữ liệu nào cung cấp thông tin này', 'No register provides this yet'),
  timeout: (r: Named = ANY_REGISTER) =>
    problem('timeout', `${r.vi} chưa trả lời kịp`, `${r.en} did not answer in time`),
  refused: (r: Named = ANY_REGISTER) =>
    problem(
      'refused',
      `${r.vi} không cho phép đọc thông tin này cho thủ tục này`,
      `${r.en} does not allow this to be read for this procedure`,
    ),
  needsConsent: (r: Named = ANY_REGISTER) =>
    problem(
      'refused',
      `Cần sự đồng ý của bạn để đọc thông tin này từ ${lower(r.vi)} (bạn có thể đồng ý ở trang “Dữ liệu của tôi”)`,
      `Reading this from ${lower(r.en)} needs your consent (you can give it on “My data”)`,
    ),
  notFound: (r: Named = ANY_REGISTER) =>
    problem('not_found', `${r.vi} không có thông tin về bạn`, `${r.en} holds nothing about you`),
  noValue: (r: Named = ANY_REGISTER) =>
    problem('no_value', `${r.vi} không có thông tin này của bạn`, `${r.en} does not hold this for you`),
  unavailable: (r: Named = ANY_REGISTER) =>
    problem('unavailable', `${r.vi} hiện không kết nối được`, `${r.en} cannot be reached right now`),
  noDesk: () =>
    problem(
      'unavailable',
      'Cơ quan giải quyết thủ tục này chưa kết nối với các cơ sở dữ liệu',
      'The agency that decides this procedure is not connected to the registers yet',
    ),
  noIdNumber: () =>
    problem(
      'unavailable',
      'Phiên đăng nhập này không mang số định danh của bạn (hãy đăng nhập lại bằng VNeID mức 2 để được điền sẵn)',
      'This sign-in does not carry your id number (sign in again with VNeID at level 2 to have it filled in)',
    ),
  noResult: () =>
    problem(
      'not_found',
      'Bạn chưa có kết quả còn hiệu lực của thủ tục cung cấp thông tin này',
      'You hold no valid result of the procedure that provides this',
    ),
  resultUnavailable: () =>
    problem(
      'unavailable',
      'Hiện không đọc được kết quả thủ tục trước của bạn',
      'Your earlier procedure’s result cannot be read right now',
    ),
};

// a register's name inside a sentence: "the register", "Cơ sở dữ liệu quốc gia…" kept as written past its first letter
const lower = (s: string) => (s === ANY_REGISTER.vi || s === ANY_REGISTER.en ? s.toLowerCase() : s);
