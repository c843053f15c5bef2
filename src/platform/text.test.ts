import { describe, expect, it } from 'vitest';
import { fold, queryWords, slugify } from './text.js';

describe('Vietnamese folding', () => {
  it('folds diacritics, đ and case so that all spellings meet', () => {
    expect(fold('Hà Nội')).toBe('ha noi');
    expect(fold('HA NOI')).toBe('ha noi');
    expect(fold('Đồng Tháp')).toBe('dong thap');
    expect(fold('Thừa Thiên Huế')).toBe('thua thien hue');
  });
  it('folds decomposed (NFD) input the same as composed', () => {
    expect(fold('Hà Nội'.normalize('NFD'))).toBe('ha noi');
  });
  it('keeps only letters and digits from a query, so no tsquery syntax gets through', () => {
    expect(queryWords("dân số & | ! ( ) :* ' Hà-Nội; drop table")).toEqual(['dan', 'so', 'ha', 'noi', 'drop', 'table']);
  });
  it('makes URL names', () => {
    expect(slugify('Dân số theo tỉnh, 2019')).toBe('dan-so-theo-tinh-2019');
  });
});
