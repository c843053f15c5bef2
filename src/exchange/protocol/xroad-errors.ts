import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The closed set of errors a gateway answers itself, in X-Road's REST error format (PR-REST §4.6):
 * an `X-Road-Error` header with the type, and a body `{type, message, detail}`. The type's prefix
 * says where it happened: `Client` (the calling system), `Server.ClientProxy` (the consumer's
 * gateway), `Server.ServerProxy` (the provider's). We add `message_vi` beside X-Road's English message.
 */
export const XROAD_ERRORS = {
  'Client.BadRequest': {
    status: 400,
    en: 'The request does not follow the X-Road message protocol for REST (r1).',
    vi: 'Yêu cầu không đúng giao thức thông điệp REST của X-Road (r1).',
  },
  'Client.InvalidPath': {
    status: 400,
    en: 'The service path cannot be read one way only (encoded separators, or it climbs above its root).',
    vi: 'Đường dẫn dịch vụ không hợp lệ (ký tự phân cách bị mã hoá hoặc vượt ra ngoài gốc).',
  },
  'Server.ClientProxy.ClientAuthenticationFailed': {
    status: 401,
    en: 'The calling system is not registered for this gateway, or its API key is wrong.',
    vi: 'Hệ thống gọi chưa được đăng ký với cổng này hoặc khoá API không đúng.',
  },
  'Server.ClientProxy.UnknownService': {
    status: 404,
    en: 'The service is not in the exchange configuration.',
    vi: 'Dịch vụ không có trong cấu hình trao đổi.',
  },
  'Server.ClientProxy.OutdatedGlobalConf': {
    status: 503,
    en: 'The gateway has no valid exchange configuration (the last one expired).',
    vi: 'Cổng không có cấu hình trao đổi còn hiệu lực (cấu hình cuối đã hết hạn).',
  },
  'Server.ClientProxy.NetworkError': {
    status: 502,
    en: 'The provider’s gateway could not be reached.',
    vi: 'Không kết nối được tới cổng của bên cung cấp.',
  },
  'Server.ClientProxy.InvalidSignature': {
    status: 502,
    en: 'The provider’s gateway answered with a response whose signature or hashes do not verify.',
    vi: 'Phản hồi của cổng bên cung cấp có chữ ký hoặc mã băm không hợp lệ.',
  },
  'Server.ClientProxy.LoggingFailed': {
    status: 503,
    en: 'The evidence log cannot be written; no exchange is made without it.',
    vi: 'Không ghi được nhật ký bằng chứng; không trao đổi khi thiếu nhật ký.',
  },
  'Server.ClientProxy.PayloadTooLarge': {
    status: 413,
    en: 'The message body is larger than the gateway accepts.',
    vi: 'Nội dung thông điệp vượt quá dung lượng cổng chấp nhận.',
  },
  'Server.ServerProxy.SslAuthenticationFailed': {
    status: 401,
    en: 'The calling gateway’s certificate is not one the configuration names.',
    vi: 'Chứng thư của cổng gọi không có trong cấu hình.',
  },
  'Server.ServerProxy.InvalidSignature': {
    status: 401,
    en: 'The request’s signature does not verify, its body was changed, or its time is too far off.',
    vi: 'Chữ ký của yêu cầu không hợp lệ, nội dung bị thay đổi hoặc thời gian lệch quá xa.',
  },
  'Server.ServerProxy.ReplayedRequest': {
    status: 401,
    en: 'This signed request was already received.',
    vi: 'Yêu cầu đã ký này đã được nhận trước đó.',
  },
  'Server.ServerProxy.AccessDenied': {
    status: 403,
    en: 'No grant allows this client to call this service endpoint for this purpose.',
    vi: 'Không có quyền truy cập nào cho phép hệ thống này gọi điểm cuối dịch vụ này cho mục đích này.',
  },
  'Server.ServerProxy.UnknownService': {
    status: 404,
    en: 'The service is not provided through this gateway.',
    vi: 'Dịch vụ không được cung cấp qua cổng này.',
  },
  'Server.ServerProxy.RateLimitExceeded': {
    status: 429,
    en: 'The grant’s rate limit is reached; retry after the time given.',
    vi: 'Đã vượt giới hạn tốc độ của quyền truy cập; hãy thử lại sau thời gian cho biết.',
  },
  'Server.ServerProxy.QuotaExceeded': {
    status: 429,
    en: 'The grant’s daily quota is used up; retry after the time given.',
    vi: 'Đã hết hạn mức trong ngày của quyền truy cập; hãy thử lại sau thời gian cho biết.',
  },
  'Server.ServerProxy.OutdatedGlobalConf': {
    status: 503,
    en: 'The provider’s gateway has no valid exchange configuration.',
    vi: 'Cổng bên cung cấp không có cấu hình trao đổi còn hiệu lực.',
  },
  'Server.ServerProxy.ServiceFailed': {
    status: 502,
    en: 'The provider’s service could not be reached or did not answer in time.',
    vi: 'Không kết nối được hoặc không nhận được trả lời kịp thời từ dịch vụ của bên cung cấp.',
  },
  'Server.ServerProxy.LoggingFailed': {
    status: 503,
    en: 'The evidence log cannot be written; no exchange is made without it.',
    vi: 'Không ghi được nhật ký bằng chứng; không trao đổi khi thiếu nhật ký.',
  },
  'Server.ServerProxy.Overloaded': {
    status: 503,
    en: 'The provider’s gateway is receiving more requests than it can check against replays; send the request again after the time given.',
    vi: 'Cổng bên cung cấp đang nhận nhiều yêu cầu hơn khả năng kiểm tra chống phát lại; hãy gửi lại sau thời gian cho biết.',
  },
  'Server.ServerProxy.PersonMismatch': {
    status: 403,
    en: 'This endpoint returns one person’s data: the call must name that person (X-Road-UserId), and the person in the path must be the one named.',
    vi: 'Điểm truy cập này trả về dữ liệu của một người: lời gọi phải nêu đúng người đó (X-Road-UserId), và người trong đường dẫn phải là người được nêu.',
  },
  'Server.ServerProxy.ConsentRequired': {
    status: 403,
    en: 'The grant’s legal basis is the person’s consent: the call must name the person (X-Road-UserId) and carry their consent artefact (X-Ndp-Consent).',
    vi: 'Căn cứ pháp lý của quyền truy cập là sự đồng ý của chủ thể dữ liệu: lời gọi phải nêu người đó (X-Road-UserId) và kèm văn bản đồng ý của họ (X-Ndp-Consent).',
  },
  'Server.ServerProxy.ConsentRefused': {
    status: 403,
    en: 'The consent artefact does not allow this call.',
    vi: 'Văn bản đồng ý không cho phép lời gọi này.',
  },
  'Server.ServerProxy.ConsentWithdrawn': {
    status: 403,
    en: 'The person has withdrawn this consent.',
    vi: 'Chủ thể dữ liệu đã rút lại sự đồng ý này.',
  },
  'Server.ServerProxy.ConsentUnverifiable': {
    status: 503,
    en: 'The provider’s gateway could not learn the latest withdrawals of consent from the registry; a call relying on consent is refused until it can.',
    vi: 'Cổng bên cung cấp chưa cập nhật được danh sách sự đồng ý bị rút lại từ hệ thống đăng ký; lời gọi dựa trên sự đồng ý bị từ chối cho tới khi cập nhật được.',
  },
  'Server.ServerProxy.PayloadTooLarge': {
    status: 413,
    en: 'The message body is larger than the gateway accepts.',
    vi: 'Nội dung thông điệp vượt quá dung lượng cổng chấp nhận.',
  },
} as const;

export type XRoadErrorType = keyof typeof XROAD_ERRORS;

export class XRoadError extends Error {
  /** `detailVi`: the detail in Vietnamese, where one is written for a person to act on */
  constructor(
    readonly type: XRoadErrorType,
    readonly detail?: string,
    readonly retryAfterSeconds?: number,
    readonly detailVi?: string,
  ) {
    super(`${type}: ${XROAD_ERRORS[type].en}${detail ? ` (${detail})` : ''}`);
  }
  /** the consent a refusal concerned, when the gateway knew it (its withdrawal, its uses a day) */
  consent?: string;
  get status(): number {
    return XROAD_ERRORS[this.type].status;
  }
}

/**
 * Refusals that concern the right to read a person's data: a call that named a person and was refused for one of
 * these still makes an access record (with its status), so the person sees the attempt, not only the reads.
 */
export const RECORDED_REFUSALS: ReadonlySet<string> = new Set<XRoadErrorType>([
  'Server.ServerProxy.AccessDenied',
  'Server.ServerProxy.PersonMismatch',
  'Server.ServerProxy.ConsentRequired',
  'Server.ServerProxy.ConsentRefused',
  'Server.ServerProxy.ConsentWithdrawn',
  'Server.ServerProxy.ConsentUnverifiable',
]);

export interface XRoadErrorBody {
  type: string;
  message: string;
  message_vi: string;
  detail: string;
}

export function errorBody(error: XRoadError, id?: string): XRoadErrorBody {
  const known = XROAD_ERRORS[error.type];
  return {
    type: error.type,
    message: error.detail ? `${known.en} ${error.detail}` : known.en,
    message_vi: error.detailVi ? `${known.vi} ${error.detailVi}` : known.vi,
    detail: id ?? randomUUID(),
  };
}

export function sendXRoadError(
  res: ServerResponse,
  error: XRoadError,
  id?: string,
  extraHeaders: Record<string, string> = {},
): void {
  const body = JSON.stringify(errorBody(error, id));
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-road-error': error.type,
    ...extraHeaders,
  };
  if (id) headers['x-road-id'] = id;
  if (error.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  res.writeHead(error.status, headers).end(body);
}
