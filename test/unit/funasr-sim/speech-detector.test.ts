import { describe, expect, it } from 'vitest';
import { bytesToSamples, LinearResampler } from '../../funasr-sim/audio-input.js';
import { placeSentence } from '../../funasr-sim/placeholder-text.js';
import { detectSentences, SpeechDetector } from '../../funasr-sim/speech-detector.js';
import { burstPcm } from './sim-client.js';

const samplesOf = (totalMs: number, bursts: { start: number; end: number }[]): Int16Array =>
  bytesToSamples(burstPcm(totalMs, bursts));

describe('speech detector', () => {
  it('finds sentences on the bursts, within 50 ms of their edges', () => {
    const sentences = detectSentences(
      samplesOf(6000, [
        { start: 400, end: 1500 },
        { start: 2600, end: 4100 },
      ]),
    );
    expect(sentences).toHaveLength(2);
    expect(Math.abs((sentences[0]?.start ?? 0) - 400)).toBeLessThanOrEqual(50);
    expect(Math.abs((sentences[0]?.end ?? 0) - 1500)).toBeLessThanOrEqual(50);
    expect(Math.abs((sentences[1]?.start ?? 0) - 2600)).toBeLessThanOrEqual(50);
    expect(Math.abs((sentences[1]?.end ?? 0) - 4100)).toBeLessThanOrEqual(50);
  });

  it('splits a sentence into comma pieces at pauses of 150-500 ms and ignores short clicks', () => {
    const sentences = detectSentences(
      samplesOf(5000, [
        { start: 300, end: 1200 },
        { start: 1450, end: 2200 },
        { start: 3300, end: 3380 },
      ]),
    );
    expect(sentences).toHaveLength(1);
    expect(sentences[0]?.pieces).toHaveLength(2);
    expect(Math.abs((sentences[0]?.pieces[1]?.spans[0]?.start ?? 0) - 1450)).toBeLessThanOrEqual(50);
  });

  it('cuts very long speech at 15 s and keeps speech that starts at the first sample', () => {
    const sentences = detectSentences(samplesOf(22000, [{ start: 0, end: 21000 }]));
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences[0]?.start).toBe(0);
    expect(sentences[0]?.end).toBe(15000);
    expect(Math.abs((sentences[sentences.length - 1]?.end ?? 0) - 21000)).toBeLessThanOrEqual(50);
  });

  it('gives the same result whatever the push sizes are', () => {
    const samples = samplesOf(5000, [
      { start: 700, end: 2000 },
      { start: 2900, end: 4000 },
    ]);
    const detector = new SpeechDetector();
    const pieces = [];
    for (let i = 0; i < samples.length; i += 333) pieces.push(...detector.push(samples.subarray(i, i + 333)));
    pieces.push(...detector.flush());
    expect(pieces).toEqual(detectSentences(samples));
  });

  it('places tokens inside voiced spans, first at the onset and last at the offset', () => {
    const [sentence] = detectSentences(
      samplesOf(4000, [
        { start: 500, end: 1400 },
        { start: 1520, end: 1600 },
        { start: 1900, end: 3000 },
      ]),
    );
    expect(sentence).toBeDefined();
    if (!sentence) return;
    const pieces = placeSentence('zh', sentence, 0, '。');
    const tokens = pieces.flatMap((p) => p.tokens);
    const spans = sentence.pieces.flatMap((p) => p.spans);
    expect(tokens[0]?.start).toBe(sentence.start);
    expect(tokens[tokens.length - 1]?.end).toBe(sentence.end);
    for (const token of tokens) {
      expect(token.end).toBeGreaterThan(token.start);
      expect(spans.some((s) => token.start >= s.start && token.end <= s.end)).toBe(true);
    }
    expect(tokens.map((t) => t.text).join('')).toMatch(/^今天我们讨论/);
    expect(pieces[pieces.length - 1]?.punc).toBe('。');
  });

  it('resamples 8 kHz input so that positions keep their time', () => {
    const pcm8k = bytesToSamples(burstPcm(4000, [{ start: 1000, end: 2500 }], 8000));
    const resampler = new LinearResampler(8000);
    const parts = [];
    for (let i = 0; i < pcm8k.length; i += 800) parts.push(resampler.push(pcm8k.subarray(i, i + 800)));
    const total = parts.reduce((n, p) => n + p.length, 0);
    expect(Math.abs(total - 64000)).toBeLessThanOrEqual(2);
    const joined = new Int16Array(total);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    const [sentence] = detectSentences(joined);
    expect(Math.abs((sentence?.start ?? 0) - 1000)).toBeLessThanOrEqual(50);
    expect(Math.abs((sentence?.end ?? 0) - 2500)).toBeLessThanOrEqual(50);
  });
});
