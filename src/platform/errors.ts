/**
 * The closed set of domain errors. Each has a stable code, an HTTP status and
 * a message in Vietnamese and English; `platform/http.ts` is the one place
 * that turns them into responses.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The request is not valid.' },
  MALFORMED_JSON: { status: 400, vi: 'Nội dung JSON bị lỗi cú pháp.', en: 'The JSON body is malformed.' },
  UNAUTHENTICATED: {
    status: 401,
    vi: 'Bạn cần đăng nhập hoặc dùng mã truy cập hợp lệ.',
    en: 'Sign in or send a valid API token.',
  },
  INVALID_CREDENTIALS: { status: 401, vi: 'Email hoặc mật khẩu không đúng.', en: 'Wrong e-mail or password.' },
  TOKEN_EXPIRED: { status: 401, vi: 'Mã truy cập đã hết hạn.', en: 'The API token has expired.' },
  TOKEN_REVOKED: { status: 401, vi: 'Mã truy cập đã bị thu hồi.', en: 'The API token has been revoked.' },
  SIGN_IN_FAILED: {
    status: 401,
    vi: 'Không hoàn tất được việc đăng nhập. Vui lòng đăng nhập lại từ đầu.',
    en: 'The sign-in could not be completed. Please start again.',
  },
  ASSURANCE_TOO_LOW: {
    status: 403,
    vi: 'Cần đăng nhập bằng tài khoản định danh điện tử mức 2.',
    en: 'This needs a sign-in with a level 2 electronic identity.',
  },
  LINK_INVALID: {
    status: 400,
    vi: 'Liên kết không hợp lệ, đã dùng hoặc đã hết hạn. Hãy yêu cầu liên kết mới.',
    en: 'The link is not valid, already used or expired. Ask for a new one.',
  },
  CSRF_FAILED: { status: 403, vi: 'Thiếu hoặc sai mã chống giả mạo (CSRF).', en: 'Missing or wrong CSRF token.' },
  FORBIDDEN: { status: 403, vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' },
  NOT_FOUND: { status: 404, vi: 'Không tìm thấy.', en: 'Not found.' },
  CONFLICT: { status: 409, vi: 'Xung đột với dữ liệu hiện có.', en: 'This conflicts with existing data.' },
  INVALID_STATE: {
    status: 409,
    vi: 'Thao tác không hợp lệ ở trạng thái hiện tại.',
    en: 'Not allowed in the current state.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    vi: 'Tệp hoặc nội dung vượt quá dung lượng cho phép.',
    en: 'The file or body is larger than allowed.',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, vi: 'Kiểu nội dung không được hỗ trợ.', en: 'Unsupported content type.' },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    vi: 'Quá nhiều lần thử. Vui lòng đợi rồi thử lại.',
    en: 'Too many attempts. Please wait and try again.',
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    vi: 'Bạn gửi quá nhiều truy vấn cùng lúc; hãy đợi một truy vấn xong.',
    en: 'Too many queries at once; wait for one to finish.',
  },
  RESULT_TOO_LARGE: {
    status: 400,
    vi: 'Kết quả lớn hơn mức cho phép; hãy chọn ít cột hơn, lọc hoặc dùng LIMIT.',
    en: 'The answer is larger than allowed; select fewer columns, filter, or use LIMIT.',
  },
  NOT_ACCEPTABLE: {
    status: 406,
    vi: 'Không có định dạng phù hợp với yêu cầu.',
    en: 'No representation matches the Accept header.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    vi: 'Không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.',
    en: 'The database cannot be reached. Please try again in a few minutes.',
  },
  INTERNAL: { status: 500, vi: 'Lỗi hệ thống. Vui lòng thử lại sau.', en: 'Internal error. Please try again later.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  field?: string;
  vi: string;
  en: string;
}

export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messages: { vi: string; en: string } = ERROR_CODES[code],
    readonly details: ErrorDetail[] = [],
  ) {
    super(`${code}: ${messages.en}`);
    this.status = ERROR_CODES[code].status;
  }
}

export const notFound = (what: { vi: string; en: string }, id: string) =>
  new DomainError('NOT_FOUND', { vi: `Không tìm thấy ${what.vi} “${id}”.`, en: `${what.en} “${id}” was not found.` });

export const forbidden = (vi: string, en: string) => new DomainError('FORBIDDEN', { vi, en });

export const invalid = (details: ErrorDetail[]) =>
  new DomainError('VALIDATION_FAILED', ERROR_CODES.VALIDATION_FAILED, details);
