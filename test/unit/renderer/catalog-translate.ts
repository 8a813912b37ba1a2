// A `$_`-like formatter over one area's real catalog file, for testing helpers that take a Translate.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Translate } from '../../../src-renderer/lib/translate.js';

const DIR = join(import.meta.dirname, '../../../src-renderer/i18n');

/** The formatter of `area`'s catalog in `locale`; an unknown id throws, so a typo fails the test. */
function catalogTranslate(area: string, locale: string): Translate {
  const catalog = JSON.parse(readFileSync(join(DIR, `${area}.${locale}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
  return (id, options) => {
    const message = id
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], catalog);
    if (typeof message !== 'string') throw new Error(`no message ${id} in ${area}.${locale}.json`);
    return String(new IntlMessageFormat(message, locale).format(options?.values));
  };
}

/** The English formatter of an area. */
export const englishCatalog = (area: string): Translate => catalogTranslate(area, 'en');

/** The Simplified Chinese formatter of an area. */
export const chineseCatalog = (area: string): Translate => catalogTranslate(area, 'zh-CN');
