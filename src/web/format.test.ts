import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatNumber, formatScore } from './format.js';

describe('Vietnamese formats', () => {
  it('groups thousands with dots in Vietnamese and commas in English', () => {
    expect(formatNumber(1234567, 'vi')).toBe('1.234.567');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
  });
  it('writes dates day first in Vietnamese and with the month named in English, in Vietnam’s time zone', () => {
    expect(formatDate('2026-11-23T20:00:00Z', 'vi')).toBe('24/11/2026');
    expect(formatDate('2024-08-03T10:00:00+07:00', 'vi')).toBe('03/08/2024');
    expect(formatDate(new Date('2025-07-01T00:00:00+07:00'), 'en')).toBe('1 Jul 2025');
    expect(formatDate('2024-08-03T10:00:00+07:00', 'en')).toBe('3 Aug 2024');
  });
  it('writes sizes with a decimal comma in Vietnamese', () => {
    expect(formatBytes(76910, 'vi')).toBe('76,9 kB');
    expect(formatBytes(999, 'en')).toBe('999 B');
  });
  it('writes a score with a decimal comma in Vietnamese and a decimal point in English', () => {
    expect(formatScore(94.54, 'vi')).toBe('94,5');
    expect(formatScore(94.54, 'en')).toBe('94.5');
    expect(formatScore(null, 'en')).toBe('—');
  });
});
