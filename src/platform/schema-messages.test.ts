import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { Type } from '@sinclair/typebox';
import { explainComplaints } from './schema-messages.js';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const Body = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 8, pattern: '^[A-Z]+$' }),
    count: Type.Integer({ minimum: 1 }),
    email: Type.String({ format: 'email' }),
    method: Type.Union(['GET', 'POST'].map((m) => Type.Literal(m))),
    tags: Type.Array(Type.String(), { maxItems: 2, uniqueItems: true }),
    name: Type.String(),
  },
  { additionalProperties: false },
);

const explain = (value: unknown) => {
  const check = ajv.compile(Body);
  expect(check(value)).toBe(false);
  return explainComplaints(check.errors ?? [], 'body');
};

describe('what a request schema’s complaints say', () => {
  it('says what is wrong with each field in Vietnamese and in English, one message per field', () => {
    const out = explain({
      code: 'abcdefghij',
      count: 0,
      email: 'not-an-address',
      method: 'FETCH',
      tags: ['a', 'a', 'b'],
      extra: 1,
    });
    const by = Object.fromEntries(out.map((d) => [d.field, d]));
    expect(Object.keys(by).sort()).toEqual(
      ['body', 'body.code', 'body.count', 'body.email', 'body.extra', 'body.method', 'body.name', 'body.tags']
        .filter((f) => f !== 'body')
        .sort(),
    );
    expect(by['body.code']).toEqual({
      field: 'body.code',
      vi: 'Dài tối đa 8 ký tự.',
      en: 'Must be at most 8 characters long.',
    });
    expect(by['body.count']).toMatchObject({ vi: 'Không được nhỏ hơn 1.', en: 'Must be at least 1.' });
    expect(by['body.email']).toMatchObject({ vi: 'Phải là một địa chỉ email.', en: 'Must be an e-mail address.' });
    expect(by['body.method']).toMatchObject({ vi: 'Chỉ nhận một trong: GET, POST.', en: 'Must be one of: GET, POST.' });
    expect(by['body.extra']).toMatchObject({ vi: 'Trường không được hỗ trợ: extra', en: 'Unknown field: extra' });
    expect(by['body.name']).toMatchObject({ vi: 'Thiếu trường bắt buộc: name', en: 'Missing required field: name' });
    expect(by['body.tags']).toMatchObject({ en: expect.stringMatching(/at most 2 items|must not repeat/) });
    // no English left in the Vietnamese messages (ajv writes "must …")
    for (const d of out) expect(d.vi).not.toMatch(/\bmust\b/);
  });

  it('names the type wanted, and an empty text as empty', () => {
    const out = explain({ code: '', count: 'three', email: 'a@b.vn', method: 'GET', tags: [], name: 7 });
    const by = Object.fromEntries(out.map((d) => [d.field, d]));
    expect(by['body.code']).toMatchObject({ vi: 'Không được để trống.', en: 'Must not be empty.' });
    expect(by['body.count']).toMatchObject({ vi: 'Phải là một số nguyên.', en: 'Must be a whole number.' });
    expect(by['body.name']).toMatchObject({ vi: 'Phải là một chuỗi ký tự.', en: 'Must be text.' });
  });
});
