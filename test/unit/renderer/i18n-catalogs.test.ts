// Both interface languages have the same catalogs, the same keys and, per message, the same placeholders.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../../src-renderer/i18n');
const LOCALES = ['en', 'zh-CN'];

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  if (typeof value === 'string') return entries.set(prefix, value);
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    for (const [path, text] of flatten(inner, prefix ? `${prefix}.${key}` : key)) entries.set(path, text);
  }
  return entries;
}

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\s*(\w+)/g)].map((match) => match[1] ?? '').sort();
}

const files = readdirSync(DIR).filter((name) => name.endsWith('.json'));
const areas = [...new Set(files.map((name) => name.split('.')[0] ?? ''))];

describe('interface catalogs', () => {
  it('has a catalog for every area in every language', () => {
    expect(areas.length).toBeGreaterThan(0);
    for (const area of areas) {
      for (const code of LOCALES) expect(files, `${area}.${code}.json`).toContain(`${area}.${code}.json`);
    }
    expect(files.length).toBe(areas.length * LOCALES.length);
  });

  it.each(areas)('%s: the same keys and placeholders in each language', (area) => {
    const [first, ...others] = LOCALES.map((code) =>
      flatten(JSON.parse(readFileSync(join(DIR, `${area}.${code}.json`), 'utf8'))),
    );
    for (const other of others) {
      expect([...(other?.keys() ?? [])].sort()).toEqual([...(first?.keys() ?? [])].sort());
      for (const [key, text] of first ?? []) {
        expect(placeholders(other?.get(key) ?? ''), key).toEqual(placeholders(text));
      }
    }
  });

  it('keeps each area under its own top-level key', () => {
    for (const name of files) {
      const keys = Object.keys(JSON.parse(readFileSync(join(DIR, name), 'utf8')) as object);
      expect(keys, name).toEqual([name.split('.')[0]]);
    }
  });
});
