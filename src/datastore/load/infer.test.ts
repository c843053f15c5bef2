import { describe, expect, it } from 'vitest';
import { inferColumn, parseDate, parseDateTime, parseNumber } from './infer.js';

describe('column type inference', () => {
  it('reads Vietnamese number formats when the column shows them', () => {
    expect(inferColumn(['1.234.567', '89', '1.000'])).toMatchObject({ type: 'integer', numberStyle: 'vietnamese' });
    expect(inferColumn(['1.234,5', '12,75', '3'])).toMatchObject({ type: 'number', numberStyle: 'vietnamese' });
    expect(parseNumber('1.234,5', 'vietnamese')).toBe(1234.5);
    expect(parseNumber('1.234.567', 'vietnamese')).toBe(1234567);
  });

  it('reads international formats, and a lone 1.234 as a decimal there', () => {
    expect(inferColumn(['1,234.5', '7'])).toMatchObject({ type: 'number', numberStyle: 'international' });
    expect(inferColumn(['1.234', '2.5'])).toMatchObject({ type: 'number', numberStyle: 'international' });
    expect(parseNumber('1,234', 'international')).toBe(1234);
    expect(parseNumber('1e3', 'international')).toBe(1000);
  });

  it('treats .., -, N/A and empty cells as missing, not as text', () => {
    expect(inferColumn(['12', '..', '-', 'N/A', '', '7'])).toMatchObject({ type: 'integer', missing: 4, values: 2 });
    expect(inferColumn(['..', ''])).toMatchObject({ type: 'text', values: 0 });
  });

  it('infers dates day first, checking the calendar', () => {
    expect(inferColumn(['24/11/2026', '1/7/2025', '2025-07-01'])).toMatchObject({ type: 'date' });
    expect(parseDate('24/11/2026')).toBe('2026-11-24');
    expect(parseDate('31/02/2025')).toBeNull();
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
    expect(inferColumn(['24/11/2026', '13/13/2026'])).toMatchObject({ type: 'text', example: '13/13/2026' });
  });

  it('infers date-times and keeps Vietnam’s time zone when none is given', () => {
    expect(inferColumn(['2026-11-24T08:30:00Z', '24/11/2026 14:05'])).toMatchObject({ type: 'datetime' });
    expect(parseDateTime('24/11/2026 14:05')).toBe('2026-11-24T14:05:00+07:00');
    expect(parseDateTime('2026-11-24 08:30')).toBe('2026-11-24T08:30:00+07:00');
  });

  it('infers booleans in Vietnamese and English, and falls back to text with the offending value', () => {
    expect(inferColumn(['Có', 'không', 'có'])).toMatchObject({ type: 'boolean' });
    expect(inferColumn(['01', '79', 'Hà Nội'])).toMatchObject({ type: 'text', example: 'Hà Nội' });
  });

  it('reads codes with leading zeros as text: as numbers they would lose their zeros', () => {
    expect(inferColumn(['01', '04', '79']).type).toBe('text');
    expect(inferColumn(['1', '4', '79', '0', '-3']).type).toBe('integer');
    expect(inferColumn(['0,5', '12,25', '0']).type).toBe('number');
  });
});
