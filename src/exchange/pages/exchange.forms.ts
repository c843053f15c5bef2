import { parse as parseYaml } from 'yaml';
import { strictAjv } from '../../platform/http.js';
import { DomainError, type ErrorDetail } from '../../platform/errors.js';
import { GrantCreate, ServiceCreate, SubsystemCreate } from '../registry/registry.schema.js';
import { formValue, type FormBody } from '../../web/session.js';

/** The portal's forms of the exchange, read into the API's own request bodies and checked by the API's schemas. */
const ajv = strictAjv();
const checks = {
  subsystem: ajv.compile(SubsystemCreate),
  service: ajv.compile(ServiceCreate),
  grant: ajv.compile(GrantCreate),
};

function check<T>(kind: keyof typeof checks, body: Record<string, unknown>): T {
  const validate = checks[kind];
  if (validate(body)) return body as T;
  const details: ErrorDetail[] = (validate.errors ?? []).slice(0, 8).map((e) => {
    const field =
      e.instancePath.replace(/^\//, '') || String((e.params as { missingProperty?: string }).missingProperty ?? '');
    return {
      field,
      vi: `Trường “${field}” không hợp lệ (${e.message}).`,
      en: `The field “${field}” is not valid (${e.message}).`,
    };
  });
  throw new DomainError('VALIDATION_FAILED', undefined, details);
}

export function readSubsystemForm(f: FormBody): SubsystemCreate {
  return check('subsystem', {
    agency: formValue(f, 'agency', 120),
    code: formValue(f, 'code', 64),
    name: formValue(f, 'name', 300),
  });
}

export function readServiceForm(f: FormBody): ServiceCreate {
  const text = formValue(f, 'openapi', 500_000);
  let openapi: unknown;
  try {
    openapi = parseYaml(text);
  } catch (err) {
    throw new DomainError('VALIDATION_FAILED', undefined, [
      {
        field: 'openapi',
        vi: `Tài liệu OpenAPI không đọc được (YAML hoặc JSON): ${(err as Error).message}`,
        en: `The OpenAPI document cannot be read (YAML or JSON): ${(err as Error).message}`,
      },
    ]);
  }
  // the dictionary fields the service returns, as their ids, separated by commas
  const fields = [
    ...new Set(
      formValue(f, 'fields', 10_000)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ];
  return check('service', {
    subsystem: formValue(f, 'subsystem', 40),
    code: formValue(f, 'code', 64),
    title: formValue(f, 'title', 300),
    baseUrl: formValue(f, 'baseUrl', 2000),
    openapi,
    ...(fields.length ? { fields } : {}),
  });
}

export function readGrantForm(f: FormBody): GrantCreate {
  const body: Record<string, unknown> = { client: formValue(f, 'client', 40), service: formValue(f, 'service', 40) };
  const purposes = formValue(f, 'purposes', 1000)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (purposes.length) body.purposes = purposes;
  const endpoints = formValue(f, 'endpoints', 5000)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [method = '', path = ''] = l.split(/\s+/, 2);
      return { method: method.toUpperCase(), path };
    });
  if (endpoints.length) body.endpoints = endpoints;
  const basis = formValue(f, 'basis', 40);
  if (basis) body.basis = basis;
  const legalBasis = formValue(f, 'legalBasis', 500);
  if (legalBasis) body.legalBasis = legalBasis;
  for (const k of ['ratePerSecond', 'dailyQuota'] as const) {
    const v = formValue(f, k, 12);
    if (v) body[k] = /^\d+$/.test(v) ? Number(v) : v;
  }
  const expires = formValue(f, 'expiresAt', 40);
  if (expires) body.expiresAt = /^\d{4}-\d{2}-\d{2}$/.test(expires) ? `${expires}T23:59:59+07:00` : expires;
  return check('grant', body);
}
