import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_CATALOGS } from '../app.js';
import { PORTAL_MESSAGES } from '../portal/portal.part.js';
import { addMessages, messagesOf } from './i18n.js';

const SRC = path.resolve(import.meta.dirname, '..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : /\.tsx?$/.test(e.name) && !e.name.includes('.test.')
        ? [path.join(dir, e.name)]
        : [],
  );

describe('page strings', () => {
  it('gives every key a page uses a text in Vietnamese and in English, whichever part keeps it', () => {
    for (const catalog of [...PAGE_CATALOGS, ...PORTAL_MESSAGES]) addMessages(catalog);
    const [vi, en] = [messagesOf('vi'), messagesOf('en')];
    const missing: string[] = [];
    for (const file of sources(SRC)) {
      // t('key') and label(ctx, 'key'): the literal keys; keys built at run time are listed by their own tests
      for (const m of readFileSync(file, 'utf8').matchAll(
        /\b(?:t|label\(\w+,)\s*\(?\s*['`]([a-z][\w-]*(?:\.[\w-]+)+)['`]/g,
      )) {
        const key = m[1]!;
        if (!(key in vi) || !(key in en)) missing.push(`${path.relative(SRC, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps the same keys in both languages in each part', () => {
    for (const catalog of [...PAGE_CATALOGS, ...PORTAL_MESSAGES])
      expect(Object.keys(catalog.en).sort()).toEqual(Object.keys(catalog.vi).sort());
  });

  it('refuses one key given two texts by two parts', () => {
    expect(() => addMessages({ vi: { 'nav.home': 'Khác' }, en: {} })).toThrow(/defined twice/);
  });
});
