import type { ErrorObject } from 'ajv';
import type { DomainError } from '../platform/errors.js';
import { schemaMessage } from '../platform/schema-messages.js';
import type { PageContext } from './context.js';

/** A field of an admin form: the label the reader sees beside it and, for a patterned value, an example of one. */
export interface FormField {
  label: string;
  example?: string;
}

const REQUIRED = { vi: 'Không được để trống.', en: 'Must not be empty.' };
const patternMessage = (example: string) => ({
  vi: `Không đúng dạng; ví dụ: ${example}.`,
  en: `Not in the expected form; for example: ${example}.`,
});

/**
 * A schema's complaints about a form, as its reader can act on them: "Mã định danh: Không đúng dạng; ví dụ:
 * 000.00.00.G12." — the field's label, never its id, and a message in the page's language, never ajv's English.
 */
export function formProblems(
  ctx: PageContext,
  errors: ErrorObject[] | null | undefined,
  fields: Record<string, FormField>,
): string[] {
  const seen = new Map<string, string>();
  for (const e of errors ?? []) {
    const field = e.instancePath.replace(/^\//, '') || String(e.params.missingProperty ?? '');
    if (seen.has(field) || e.keyword === 'anyOf') continue;
    const f = fields[field];
    const message =
      e.keyword === 'required' || (e.keyword === 'minLength' && Number(e.params.limit) === 1)
        ? REQUIRED
        : e.keyword === 'pattern' && f?.example
          ? patternMessage(f.example)
          : schemaMessage(e);
    seen.set(field, `${f?.label ?? field}: ${message[ctx.lang]}`);
  }
  return [...seen.values()];
}

/** A domain error's details with the fields' labels in place of their ids. */
export function domainProblems(ctx: PageContext, err: DomainError, fields: Record<string, FormField>): string[] {
  return err.details.length
    ? err.details.map((d) => `${d.field ? `${fields[d.field]?.label ?? d.field}: ` : ''}${d[ctx.lang]}`)
    : [err.messages[ctx.lang]];
}
