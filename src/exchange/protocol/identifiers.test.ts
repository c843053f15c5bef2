import { describe, expect, it } from 'vitest';
import { parseRepresentedParty, readableRepresentedParty } from './identifiers.js';

describe('X-Road-Represented-Party', () => {
  it('takes CLASS/MEMBER or MEMBER, each part percent-encoded, and gives its canonical form', () => {
    expect(parseRepresentedParty('')).toBe('');
    expect(parseRepresentedParty('000.00.00.H01')).toBe('000.00.00.H01');
    expect(parseRepresentedParty('GOV/000.00.00.H01')).toBe('GOV/000.00.00.H01');
    expect(parseRepresentedParty('COM/C%C3%B4ng%20ty')).toBe('COM/C%C3%B4ng%20ty');
    expect(parseRepresentedParty('COM/Công ty')).toBe('COM/C%C3%B4ng%20ty');
  });

  it('refuses more than two parts, empty parts, dot segments, control characters and encoded slashes', () => {
    for (const bad of [
      'a/b/c',
      'GOV/',
      '/x',
      '..',
      'GOV/%2e%2e',
      'GOV/a%0Ab',
      'GOV/a%2Fb',
      'GOV/%zz',
      'x'.repeat(600),
    ]) {
      expect(parseRepresentedParty(bad), bad).toBeUndefined();
    }
  });

  it('understands a name sent as raw UTF-8 (read by HTTP as Latin-1) as the same name percent-encoded', () => {
    const raw = Buffer.from('CITIZEN/Nguyễn Thị Ánh', 'utf8').toString('latin1'); // what Node hands over
    const encoded = 'CITIZEN/Nguy%E1%BB%85n%20Th%E1%BB%8B%20%C3%81nh';
    expect(parseRepresentedParty(raw)).toBe(encoded);
    expect(parseRepresentedParty(encoded)).toBe(encoded);
    expect(readableRepresentedParty(encoded)).toBe('CITIZEN/Nguyễn Thị Ánh');
    // Latin-1 that is not UTF-8 stays as it came; a value recorded as mojibake before reads as the name it was
    expect(readableRepresentedParty(parseRepresentedParty('M\u00fcller')!)).toBe('Müller');
    expect(readableRepresentedParty('Nguy%C3%A1%C2%BB%C2%85n%20Th%C3%A1%C2%BB%C2%8B')).toBe('Nguyễn Thị');
  });
});
