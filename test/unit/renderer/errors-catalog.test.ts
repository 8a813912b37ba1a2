// Every error code the main process can send has a message in both interface languages, every variant of a code's
// message has its own text that uses only the parameters the throw sites give, and the page words an error from its
// code and parameters (the English message only for an unknown code, and in English in place of a general text).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addMessages, init, locale } from 'svelte-i18n';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_VARIANTS, type ErrorCode } from '../../../src-shared/error-codes.js';
import { ApiError, errorLines, errorText } from '../../../src-renderer/lib/errors.js';

const ROOT = join(import.meta.dirname, '../../..');
const LOCALES = ['en', 'zh-CN'] as const;
/** Messages the renderer itself raises, not the main process. */
const RENDERER_ONLY = ['NO_BRIDGE'];

function catalog(code: string): Record<string, string> {
  const file = join(ROOT, `src-renderer/i18n/errors.${code}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { errors: Record<string, string> }).errors;
}

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\s*(\w+)/g)].map((match) => match[1] ?? '');
}

const codes = Object.keys(ERROR_VARIANTS) as ErrorCode[];
const variants = codes.flatMap((code) =>
  Object.entries(ERROR_VARIANTS[code] as Record<string, readonly string[]>).map(
    ([reason, params]) => [code, reason, params] as const,
  ),
);

describe('error messages', () => {
  it.each(LOCALES)('%s has a general message for every error code, naming no parameter', (locale) => {
    const messages = catalog(locale);
    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter((code) => !messages[code])).toEqual([]);
    for (const code of codes) expect(placeholders(messages[code] ?? ''), code).toEqual([]);
  });

  it.each(LOCALES)('%s words every variant with only the parameters its throw sites give', (locale) => {
    const messages = catalog(locale);
    expect(variants.length).toBeGreaterThan(60);
    for (const [code, reason, params] of variants) {
      const message = messages[`${code}/${reason}`];
      expect(message, `${code}/${reason}`).toBeTruthy();
      for (const name of placeholders(message ?? '')) expect(params, `${code}/${reason}`).toContain(name);
    }
  });

  it.each(LOCALES)('%s has no message for a code or variant that does not exist', (locale) => {
    const known = new Set([
      ...codes,
      ...variants.map(([code, reason]) => `${code}/${reason}`),
      ...RENDERER_ONLY,
    ]);
    expect(Object.keys(catalog(locale)).filter((id) => !known.has(id))).toEqual([]);
  });

  it('has no Latin words in the Chinese messages beyond product and protocol names', () => {
    const allowed =
      /^(FunScribe|FunASR|Docker|Desktop|Engine|GPU|CPU|API|JSON|HTTP|TLS|MiB|MB|ffmpeg|websocket|ws|wss|docker|login|Linux|macOS|Windows|PulseAudio|PipeWire|pipewire|pulse|DOCKER_HOST|2pass|[A-Z]{1,2})$/;
    for (const [id, message] of Object.entries(catalog('zh-CN'))) {
      const words = message.replace(/\{[^}]*\}/g, '').match(/[0-9]*[A-Za-z][A-Za-z_]*/g) ?? [];
      expect(
        words.filter((word) => !allowed.test(word)),
        id,
      ).toEqual([]);
    }
  });
});

describe('errorText', () => {
  beforeAll(async () => {
    for (const code of LOCALES) addMessages(code, { errors: catalog(code) });
    await init({ fallbackLocale: 'en', initialLocale: 'zh-CN' });
  });

  it('words an error from its code and parameters in Chinese', async () => {
    await locale.set('zh-CN');
    const info = {
      code: 'HOTWORDS_INVALID',
      message: 'Hotword 3 ("阿里巴巴"): the weight 500 must be a whole number from 1 to 100.',
      params: { reason: 'weight-out-of-range', item: 3, min: 1, max: 100 },
    };
    expect(errorText(new ApiError(info))).toBe('第 3 个热词的权重必须是 1 到 100 之间的整数。');
    expect(errorText(info)).toBe('第 3 个热词的权重必须是 1 到 100 之间的整数。');
  });

  it('words the same error in English from the catalog, not from the message', async () => {
    await locale.set('en');
    const info = { code: 'EMPTY_FILE', message: 'The file "/tmp/a/b.wav" is empty (0 bytes).' };
    expect(errorText({ ...info, params: { reason: 'empty', file: 'b.wav' } })).toBe(
      '“b.wav” is empty (0 bytes).',
    );
  });

  it('falls back to the general text when a variant lacks a value or is unknown', async () => {
    await locale.set('zh-CN');
    const message = 'The file "x.wav" is empty (0 bytes).';
    expect(errorText({ code: 'EMPTY_FILE', message, params: { reason: 'empty' } })).toBe('文件是空的。');
    expect(errorText({ code: 'EMPTY_FILE', message, params: { reason: 'nope', file: 'x' } })).toBe(
      '文件是空的。',
    );
    expect(errorText({ code: 'EMPTY_FILE', message })).toBe('文件是空的。');
  });

  it('words an engine failure as a headline in the language and keeps the lines of Docker output below it', async () => {
    const failed = {
      code: 'ENGINE_FAILED',
      message: 'The engine stopped unexpectedly (exit code 137).\nKilled: out of memory\nmodel load aborted',
    };
    await locale.set('zh-CN');
    expect(errorLines(failed)).toEqual({
      headline: 'FunASR 引擎已停止。',
      details: ['Killed: out of memory', 'model load aborted'],
    });
    await locale.set('en');
    expect(errorLines(failed)).toEqual({
      headline: 'The engine stopped unexpectedly (exit code 137).',
      details: ['Killed: out of memory', 'model load aborted'],
    });
    expect(errorLines('plain')).toEqual({ headline: 'plain', details: [] });
  });

  it('shows the English message only for an unknown code, or in English in place of a general text', async () => {
    await locale.set('zh-CN');
    expect(errorText({ code: 'SOMETHING_NEW', message: 'A new kind of failure.' })).toBe(
      'A new kind of failure.',
    );
    const rule = {
      code: 'INVALID_ARGUMENT',
      message: 'The FunASR server address must look like ws://host:port.',
    };
    expect(errorText(rule)).toBe('输入有误。');
    await locale.set('en');
    expect(errorText(rule)).toBe(rule.message);
    expect(errorText({ code: 'CANCELLED', message: '' })).toBe('Cancelled.');
  });

  it('drops parameters that are not a flat record of text and numbers where the error crosses IPC', () => {
    const error = new ApiError({
      code: 'EMPTY_FILE',
      message: 'm',
      params: {
        reason: 'empty',
        file: 'a.wav',
        nested: { x: 1 },
        list: [1],
        'bad name': 'x',
        big: 'y'.repeat(900),
      } as never,
    });
    expect(error.params).toEqual({ reason: 'empty', file: 'a.wav', big: 'y'.repeat(500) });
  });
});
