import Fastify, { type FastifyInstance, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
import type { Logger } from './logger.js';
import { DomainError, ERROR_CODES, type ErrorCode } from './errors.js';
import { explainComplaints, type Complaint } from './schema-messages.js';

export type Server = FastifyInstance<any, any, any, Logger, TypeBoxTypeProvider>;

/** Renders a friendly HTML error page for browsers; set by the web part. */
export type ErrorPageRenderer = (req: FastifyRequest, reply: FastifyReply, err: DomainError) => string;

declare module 'fastify' {
  interface FastifyInstance {
    errorPage: { render: ErrorPageRenderer | null };
  }
}

/** A browser asking for a page (not an API client): it gets HTML errors. */
function wantsHtml(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0] ?? '';
  if (path.startsWith('/api/') || /\.(ttl|jsonld|json|csv)$/.test(path)) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

export function preferredLanguage(req: FastifyRequest): 'vi' | 'en' {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (q === 'en' || q === 'vi') return q;
  const header = req.headers['accept-language'] ?? '';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'vi';
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const UNREACHABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed|driver has already been destroyed)/;

/**
 * The database is down, restarting or out of connections (PostgreSQL's classes 08 and 57P, too many clients,
 * node-postgres's own words, the embedded database closed at shutdown): the request was fine and may succeed later, so 503, not 500.
 */
function isDatabaseUnreachable(e: { code?: unknown; message?: unknown } | undefined): boolean {
  const code = typeof e?.code === 'string' ? e.code : '';
  if (UNREACHABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300') return true;
  return typeof e?.message === 'string' && UNREACHABLE_MESSAGES.test(e.message);
}

/** A path or query that fails its schema: what the caller typed or followed is wrong, not a form they filled. */
const BAD_ADDRESS = {
  vi: 'Địa chỉ này không hợp lệ. Hãy kiểm tra lại đường dẫn.',
  en: 'This address is not valid. Check the link.',
};

/** Turns any thrown error into a DomainError: the one mapping from failures to HTTP. */
export function toDomainError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const e = err as FastifyError & { validation?: Complaint[] };
  if (e?.validation)
    return new DomainError(
      'VALIDATION_FAILED',
      e.validationContext === 'params' || e.validationContext === 'querystring'
        ? BAD_ADDRESS
        : ERROR_CODES.VALIDATION_FAILED,
      explainComplaints(e.validation, e.validationContext),
    );
  const byCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
    FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
    FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_NOT_FOUND: 'NOT_FOUND',
  };
  const code = e?.code ? byCode[e.code] : undefined;
  if (code) return new DomainError(code);
  if (isDatabaseUnreachable(e)) return new DomainError('SERVICE_UNAVAILABLE');
  if (e instanceof SyntaxError && e.message.includes('JSON')) return new DomainError('MALFORMED_JSON');
  return new DomainError('INTERNAL');
}

export function errorBody(err: DomainError, lang: 'vi' | 'en') {
  return {
    error: {
      code: err.code,
      message: err.messages[lang],
      vi: err.messages.vi,
      en: err.messages.en,
      ...(err.details.length
        ? { details: err.details.map((d) => ({ field: d.field, message: d[lang], vi: d.vi, en: d.en })) }
        : {}),
    },
  };
}

/** The validator of request bodies, also used by HTML forms so both follow one set of rules. */
export function strictAjv(): Ajv {
  return addFormats(
    new Ajv({ removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: true, strict: false }),
  );
}

export interface ServerOptions {
  logger: Logger;
  maxUploadBytes: number;
  /** proxies whose X-Forwarded-* headers are believed (NDP_TRUST_PROXY); none by default */
  trustProxy?: false | string[];
}

export async function createServer(opts: ServerOptions): Promise<Server> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies are typed strictly (a string is not a list, "10" is not a number);
  // query strings and paths are text by nature, so they are coerced. Unknown
  // fields are an error everywhere, never silently dropped.
  const strict = strictAjv();
  const coercing = addFormats(
    new Ajv({ removeAdditional: false, coerceTypes: 'array', allErrors: true, useDefaults: true, strict: false }),
  );
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));

  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: opts.maxUploadBytes, files: 1, fields: 20, fieldSize: 64 * 1024 },
  });

  // Baseline hardening for every response; pages add their own Content-Security-Policy.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('x-frame-options', 'DENY');
  });

  app.decorate('errorPage', { render: null });
  const respond = (req: FastifyRequest, reply: FastifyReply, domain: DomainError) => {
    const render = app.errorPage.render;
    if (render && wantsHtml(req)) {
      // a page that cannot be drawn must not turn into Fastify's own answer with our internal message in it
      try {
        reply.status(domain.status).type('text/html; charset=utf-8');
        // the renderer may change the status (a signed-out visitor is sent to sign in)
        return reply.send(render(req, reply, domain));
      } catch (err) {
        req.log.error({ err }, 'error page failed');
        reply.removeHeader('content-type').removeHeader('location');
      }
    }
    return reply.status(domain.status).send(errorBody(domain, preferredLanguage(req)));
  };
  app.setErrorHandler((err, req, reply) => {
    const domain = toDomainError(err);
    if (domain.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    if (domain.code === 'SERVICE_UNAVAILABLE') {
      req.log.warn({ err }, domain.messages.en);
      reply.header('retry-after', '30');
    }
    return respond(req, reply, domain);
  });
  app.setNotFoundHandler((req, reply) => {
    const domain = new DomainError('NOT_FOUND', {
      vi: `Không có địa chỉ ${req.method} ${req.url.split('?')[0]}.`,
      en: `No route ${req.method} ${req.url.split('?')[0]}.`,
    });
    return respond(req, reply, domain);
  });
  return app as unknown as Server;
}
