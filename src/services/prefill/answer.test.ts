import { describe, expect, it } from 'vitest';
import { asFormText, atPointer } from './answer.js';

describe('a register’s answer read into a form field', () => {
  const doc = { a: { 'b/c': [{ d: 1 }, { 'e~f': 'x' }] }, n: null, z: 0 };

  it('follows RFC 6901 pointers, escapes and array indexes, and finds nothing past the answer', () => {
    expect(atPointer(doc, '/a/b~1c/1/e~0f')).toBe('x');
    expect(atPointer(doc, '/a/b~1c/0/d')).toBe(1);
    expect(atPointer(doc, '/z')).toBe(0);
    expect(atPointer(doc, '/a/b~1c/01')).toBeUndefined();
    expect(atPointer(doc, '/a/missing/x')).toBeUndefined();
    expect(atPointer(doc, '/toString')).toBeUndefined();
    expect(atPointer(doc, 'a')).toBeUndefined();
  });

  it('writes dates as ISO days, numbers plainly, and has no value for empties and objects', () => {
    expect(asFormText('1990-05-03T00:00:00Z', 'date')).toBe('1990-05-03');
    expect(asFormText('3/5/1990', 'date')).toBe('1990-05-03');
    expect(asFormText(' Nguyễn Văn An ', 'string')).toBe('Nguyễn Văn An');
    expect(asFormText(1234.5, 'number')).toBe('1234.5');
    expect(asFormText(1e21, 'integer')).toBe('1000000000000000000000');
    expect(asFormText(false, 'boolean')).toBe('false');
    for (const v of [null, undefined, '', '  ', { a: 1 }, [1], Number.NaN])
      expect(asFormText(v, 'string')).toBeUndefined();
  });
});
