import { describe, expect, it } from 'vitest';
import { parseRepresentedParty } from './identifiers.js';

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
});
