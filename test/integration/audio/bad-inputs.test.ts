import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToPcm, type DecodeOptions } from '../../../src-main/audio/decode.js';
import { locateFfmpeg, type FfmpegTools } from '../../../src-main/audio/ffmpeg-locate.js';
import { probeMedia } from '../../../src-main/audio/probe.js';
import { toErrorInfo } from '../../../src-main/util/errors.js';
import { generateBadInputs, type BadInputCase } from '../../fixtures/bad-inputs.js';
import { CORPUS_DIR, tempDir } from './media.js';

type Outcome = { ok: true; durationMs: number } | { ok: false; code: string; message: string };

let tools: FfmpegTools;
let cases: BadInputCase[];
let dir: string;

beforeAll(async () => {
  tools = await locateFfmpeg();
  cases = await generateBadInputs(CORPUS_DIR);
  dir = await tempDir();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Checks an outcome against a case's expectation, returning a description of the mismatch or null. */
function mismatch(c: BadInputCase, outcome: Outcome): string | null {
  const { expect: want } = c;
  if (want.ok !== outcome.ok)
    return `${c.name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(outcome)}`;
  if (!want.ok && !outcome.ok && want.code !== outcome.code)
    return `${c.name}: expected ${want.code}, got ${outcome.code}`;
  if (want.ok && outcome.ok) {
    const tooShort = want.minDurationMs !== undefined && outcome.durationMs < want.minDurationMs;
    const tooLong = want.maxDurationMs !== undefined && outcome.durationMs > want.maxDurationMs;
    if (tooShort || tooLong)
      return `${c.name}: duration ${outcome.durationMs} ms outside ${JSON.stringify(want)}`;
  }
  return null;
}

/** Decodes one case (deleting the PCM afterwards) and says what happened: a duration or an error code and message. */
async function outcomeOf(c: BadInputCase, outBase: string, options: DecodeOptions): Promise<Outcome> {
  try {
    const decoded = await decodeToPcm(tools, c.path, outBase, options);
    await rm(decoded.pcmPath);
    if (decoded.stereoPcmPath) await rm(decoded.stereoPcmPath);
    return { ok: true, durationMs: decoded.durationMs };
  } catch (error) {
    const info = toErrorInfo(error);
    expect(info.message.length).toBeGreaterThan(10);
    return { ok: false, code: info.code, message: info.message };
  }
}

/** Samples the process RSS while `work` runs and reports the peak. */
async function measure<T>(
  work: () => Promise<T>,
): Promise<{ value: T; wallMs: number; baseRss: number; peakRss: number }> {
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const value = await work();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { value, wallMs: performance.now() - started, baseRss, peakRss };
  } finally {
    clearInterval(timer);
  }
}

describe('the bad-input corpus', () => {
  it('has at least 15 cases, successes and failures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.expect.ok).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => !c.expect.ok).length).toBeGreaterThanOrEqual(5);
  });

  it('gives every case exactly its expected outcome, in one batch that goes on after failures', async () => {
    const problems: string[] = [];
    const progress: number[] = [];
    for (const [index, c] of cases.entries()) {
      const long = c.name === 'three hours of silence';
      const options = long ? { onProgress: (f: number) => progress.push(f) } : {};
      const measured = await measure(() => outcomeOf(c, join(dir, `case-${index}`), options));
      const problem = mismatch(c, measured.value);
      if (problem) problems.push(problem);
      if (long) {
        const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
        console.log(
          `3-hour decode: ${(measured.wallMs / 1000).toFixed(2)} s, RSS ${mb(measured.baseRss)} MB before, ` +
            `${mb(measured.peakRss)} MB peak, process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`,
        );
        // 345.6 MB of PCM streamed from ffmpeg into the files; none of it may pile up in this process's memory.
        expect(measured.peakRss - measured.baseRss).toBeLessThan(64 * 1024 * 1024);
      }
    }
    expect(problems).toEqual([]);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);
  });

  it('gives the same verdict through the ffmpeg-only probe', async () => {
    const fallback = { ...tools, ffprobe: null };
    for (const c of cases) {
      const verdict = await probeMedia(fallback, c.path).then(
        () => 'ok',
        (error: unknown) => toErrorInfo(error).code,
      );
      expect([c.name, verdict]).toEqual([c.name, c.expect.ok ? 'ok' : c.expect.code]);
    }
  });
});
