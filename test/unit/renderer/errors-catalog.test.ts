// Every error code the main process can send has a message in the interface catalogs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/** The codes of the ErrorCode union, as src-main/util/errors.ts lists them. */
function errorCodes(): string[] {
  const source = readFileSync(join(ROOT, 'src-main/util/errors.ts'), 'utf8');
  const union = /export type ErrorCode =([^;]+);/.exec(source)?.[1] ?? '';
  return [...union.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1] ?? '');
}

describe('error messages', () => {
  it.each(['en', 'zh-CN'])('%s has a message for every error code', (locale) => {
    const catalog = JSON.parse(
      readFileSync(join(ROOT, `src-renderer/i18n/errors.${locale}.json`), 'utf8'),
    ) as { errors: Record<string, string> };
    const codes = errorCodes();
    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter((code) => !catalog.errors[code])).toEqual([]);
  });
});
