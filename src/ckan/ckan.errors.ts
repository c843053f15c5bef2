import type { DomainError } from '../platform/errors.js';

/** An error in CKAN's own terms: its `__type`, status and message (or per-field lists). */
export class CkanError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }
}

/** Maps our domain errors to the `__type` and status CKAN would use for the same failure. */
export function toCkanError(err: unknown, fallback: (e: unknown) => DomainError): CkanError {
  if (err instanceof CkanError) return err;
  const d = fallback(err);
  const msg = `${d.messages.en} / ${d.messages.vi}`;
  switch (d.code) {
    case 'NOT_FOUND':
      return new CkanError('Not Found Error', 404, msg);
    case 'VALIDATION_FAILED':
    case 'CONFLICT':
    case 'INVALID_STATE': {
      const fields: Record<string, string[]> = {};
      for (const x of d.details) (fields[x.field ?? 'message'] ??= []).push(`${x.en} / ${x.vi}`);
      if (!d.details.length) fields.message = [msg];
      return new CkanError('Validation Error', 409, msg, fields);
    }
    case 'UNAUTHENTICATED':
    case 'TOKEN_EXPIRED':
    case 'TOKEN_REVOKED':
    case 'FORBIDDEN':
    case 'CSRF_FAILED':
      return new CkanError('Authorization Error', 403, msg);
    case 'MALFORMED_JSON':
      return new CkanError('Bad request', 400, `Bad request - JSON Error: ${msg}`);
    case 'PAYLOAD_TOO_LARGE':
      return new CkanError('Bad request', 413, msg);
    case 'UNSUPPORTED_MEDIA_TYPE':
      return new CkanError(
        'Bad request',
        415,
        `${msg} Send JSON (application/json) or a form (application/x-www-form-urlencoded) / Hãy gửi JSON hoặc biểu mẫu`,
      );
    case 'SERVICE_UNAVAILABLE':
      return new CkanError('Service Unavailable', 503, msg);
    case 'TOO_MANY_REQUESTS':
      return new CkanError('Too Many Requests', 429, msg);
    case 'RESULT_TOO_LARGE':
      return new CkanError('Validation Error', 409, msg, { sql: [msg], code: [d.code] });
    default:
      return new CkanError('Internal Server Error', 500, msg);
  }
}
