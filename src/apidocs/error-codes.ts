import { ERROR_CODES, type ErrorCode } from '../platform/errors.js';
import type { Operation } from './openapi-model.js';

export interface ShownError {
  code: ErrorCode;
  status: number;
  vi: string;
  en: string;
}

const shown = (code: ErrorCode): ShownError => ({ code, ...ERROR_CODES[code] });

/** Every code of the closed set, for the page that lists them all. */
export const ALL_ERRORS: ShownError[] = (Object.keys(ERROR_CODES) as ErrorCode[]).map(shown);

/** CKAN's actions answer in CKAN's envelope (`error.__type`), not with our codes. */
export const isCkan = (op: Operation) => op.path.startsWith('/api/3/');

/**
 * The codes an operation can answer, read from its shape (the document declares no error responses): what is
 * validated, what needs a sign-in, what names a thing that may not exist. Any call can also meet the server's own
 * failures (INTERNAL, SERVICE_UNAVAILABLE), listed once on the index.
 */
export function errorsOf(op: Operation): ShownError[] {
  if (isCkan(op)) return [];
  const codes: ErrorCode[] = [];
  if (op.parameters.length || op.body) codes.push('VALIDATION_FAILED');
  if (op.body?.mediaType.includes('json')) codes.push('MALFORMED_JSON');
  if (op.needsSignIn) codes.push('UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_FAILED');
  if (op.path.includes('{')) codes.push('NOT_FOUND');
  if (op.method !== 'GET' && op.method !== 'DELETE') codes.push('CONFLICT');
  return codes.map(shown);
}
