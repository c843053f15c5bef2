import YAML from 'yaml';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { DomainError } from '../../platform/errors.js';
import { SuiteBody, type Suite } from './quality.schema.js';

const ajv = addFormats.default(new Ajv({ allErrors: true }));
const valid = ajv.compile(SuiteBody);

/**
 * A check suite written by a person, in YAML or JSON (JSON is YAML), read
 * and checked against the suite schema: each problem with where it is, in
 * Vietnamese and English.
 */
export function parseSuite(text: string): Suite {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { maxAliasCount: 50 });
  } catch (err) {
    throw new DomainError('VALIDATION_FAILED', {
      vi: `Không đọc được bộ kiểm tra (YAML/JSON): ${(err as Error).message}`,
      en: `The check suite is not valid YAML or JSON: ${(err as Error).message}`,
    });
  }
  if (valid(doc)) return doc as Suite;
  const details = (valid.errors ?? []).slice(0, 20).map((e) => ({
    field: e.instancePath || '/',
    vi: `${e.instancePath || 'bộ kiểm tra'}: ${e.message ?? 'không hợp lệ'}`,
    en: `${e.instancePath || 'suite'}: ${e.message ?? 'invalid'}`,
  }));
  throw new DomainError(
    'VALIDATION_FAILED',
    { vi: 'Bộ kiểm tra không đúng cấu trúc.', en: 'The check suite does not have the expected shape.' },
    details,
  );
}

export const suiteText = (suite: Suite) => YAML.stringify(suite, { lineWidth: 0 });
