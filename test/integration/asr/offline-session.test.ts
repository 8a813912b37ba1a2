import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { transcribeOffline } from '../../../src-main/asr/offline-session.js';
import type { OfflineProgress, OfflineTranscribeRequest } from '../../../src-main/asr/offline-session.js';
import type { SimFault, SimOptions } from '../../funasr-sim/server.js';
import { BURSTS, burstFileRequest, expectSentencesOnBursts } from './burst-requests.js';
import { writeBurstPcm } from './pcm-bursts.js';
import { useSimFixture } from './sim-fixture.js';

const fixture = useSimFixture();

/** The three-burst file as a request. */
function burstRequest(
  url: string,
  extra: Partial<OfflineTranscribeRequest> = {},
): Promise<OfflineTranscribeRequest> {
  return burstFileRequest(fixture.dir(), url, extra);
}

describe('transcribeOffline against the stand-in offline server', () => {
  it('times sentences on the speech bursts and sends exact JSON types', async () => {
    const sim = await fixture.start();
    const progress: OfflineProgress[] = [];
    const transcript = await transcribeOffline(
      await burstRequest(sim.url, {
        hotwords: [
          { phrase: '项目预算', weight: 30 },
          { phrase: 'Electron Forge', weight: 12 },
        ],
        onProgress: (p) => progress.push(p),
      }),
    );
    expect(transcript.durationMs).toBe(9500);
    expect(transcript.approximate).toBe(false);
    expect(transcript.text.length).toBeGreaterThan(0);
    expectSentencesOnBursts(transcript.sentences);
    for (const sentence of transcript.sentences) {
      expect(sentence.text).toMatch(/。$/);
      expect(sentence.tokens.length).toBeGreaterThan(0);
      for (const token of sentence.tokens) {
        expect(token.startMs).toBeGreaterThanOrEqual(sentence.startMs);
        expect(token.endMs).toBeLessThanOrEqual(sentence.endMs);
      }
    }
    expect(transcript.sentences.map((s) => s.text).join('')).toBe(transcript.text);

    const session = sim.sessions[0];
    expect(sim.sessions).toHaveLength(1);
    expect(session?.config).toMatchObject({
      mode: 'offline',
      wav_name: 'bursts.pcm',
      wav_format: 'pcm',
      audio_fs: 16000,
      itn: true,
      is_speaking: false,
    });
    expect(typeof session?.config.itn).toBe('boolean');
    expect(Number.isInteger(session?.config.audio_fs)).toBe(true);
    expect(typeof session?.config.hotwords).toBe('string');
    const hotwords = JSON.parse(session?.config.hotwords as string) as Record<string, unknown>;
    expect(hotwords).toEqual({ 项目预算: 30, 'Electron Forge': 12 });
    expect(session?.hotwords).toMatchObject({ 项目预算: 30, 'Electron Forge': 12 });
    expect(session?.audioBytes).toBe(9500 * 32);

    expect(progress[0]).toEqual({ phase: 'upload', fraction: 0 });
    expect(progress.filter((p) => p.phase === 'upload').at(-1)).toEqual({ phase: 'upload', fraction: 1 });
    expect(progress.at(-1)).toEqual({ phase: 'recognise', fraction: 1 });
  });

  it('sends itn false as a boolean and no hotwords field when there are none', async () => {
    const sim = await fixture.start({ language: 'en' });
    const transcript = await transcribeOffline(await burstRequest(sim.url, { itn: false }));
    expectSentencesOnBursts(transcript.sentences);
    expect(transcript.sentences[0]?.text).toMatch(/^[a-z]+( [a-z]+)*[.,]?/);
    expect(transcript.sentences.every((s) => s.text.endsWith('.'))).toBe(true);
    const config = sim.sessions[0]?.config ?? {};
    expect(config.itn).toBe(false);
    expect('hotwords' in config).toBe(false);
  });

  it('delivers a five-minute file completely in frames below the 32 MB limit', async () => {
    const sim = await fixture.start();
    const pcmPath = join(fixture.dir(), 'long.pcm');
    const bytes = await writeBurstPcm(pcmPath, 300_000, [{ startMs: 150_000, endMs: 152_000 }]);
    const transcript = await transcribeOffline({
      url: sim.url,
      pcmPath,
      wavName: 'long',
      hotwords: [],
      itn: true,
      allowSelfSignedTls: false,
    });
    expect(sim.sessions[0]?.audioBytes).toBe(bytes);
    expect(transcript.durationMs).toBe(300_000);
    expect(transcript.sentences).toHaveLength(1);
    expect(Math.abs((transcript.sentences[0]?.startMs ?? 0) - 150_000)).toBeLessThanOrEqual(200);
  });

  it('refuses frame sizes the server cannot take or that split samples', async () => {
    const sim = await fixture.start();
    for (const frameBytes of [32_000_000, 1001, 0]) {
      await expect(transcribeOffline(await burstRequest(sim.url, { frameBytes }))).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    expect(sim.sessions).toHaveLength(0);
  });

  it('gives an empty transcript for an empty file', async () => {
    const sim = await fixture.start();
    const pcmPath = join(fixture.dir(), 'empty.pcm');
    await writeBurstPcm(pcmPath, 0, []);
    const transcript = await transcribeOffline({
      url: sim.url,
      pcmPath,
      wavName: 'empty',
      hotwords: [],
      itn: true,
      allowSelfSignedTls: false,
    });
    expect(transcript).toEqual({ text: '', sentences: [], approximate: false, durationMs: 0 });
  });

  it('names a missing PCM file', async () => {
    await expect(
      transcribeOffline({
        url: 'ws://127.0.0.1:9',
        pcmPath: join(fixture.dir(), 'missing.pcm'),
        wavName: 'x',
        hotwords: [],
        itn: true,
        allowSelfSignedTls: false,
      }),
    ).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

describe('transcribeOffline with server faults', () => {
  const failures: [SimFault, string][] = [
    ['drop-mid-stream', 'ASR_CONNECTION_LOST'],
    ['invalid-json', 'ASR_BAD_REPLY'],
    ['no-reply', 'ASR_TIMEOUT'],
  ];
  it.each(failures)('%s gives %s', async (fault, code) => {
    const sim = await fixture.start({ faults: [fault] });
    await expect(
      transcribeOffline(await burstRequest(sim.url, { frameBytes: 32_000, replyTimeoutMs: 500 })),
    ).rejects.toMatchObject({ code });
    await vi.waitFor(() => expect(process.getActiveResourcesInfo()).not.toContain('TCPSocketWrap'));
  });

  it('waits for a slow reply that comes within the timeout', async () => {
    const sim = await fixture.start({ faults: ['slow-reply'], slowReplyMs: 400 });
    const transcript = await transcribeOffline(await burstRequest(sim.url, { replyTimeoutMs: 10_000 }));
    expectSentencesOnBursts(transcript.sentences);
  });

  const PLAIN_PARAFORMER = 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx';
  const degraded: [string, Partial<SimOptions>, boolean][] = [
    ['concat-timestamps', { faults: ['concat-timestamps'] }, false],
    ['empty-stamp-sents', { faults: ['empty-stamp-sents'] }, false],
    ['both defects', { faults: ['concat-timestamps', 'empty-stamp-sents'] }, false],
    ['a model without timestamps', { modelDir: PLAIN_PARAFORMER }, true],
  ];
  it.each(degraded)('%s still gives sentences (approximate: %s)', async (_name, options, approximate) => {
    const sim = await fixture.start(options);
    const transcript = await transcribeOffline(await burstRequest(sim.url));
    expect(transcript.approximate).toBe(approximate);
    expect(transcript.sentences).toHaveLength(BURSTS.length);
    expect(transcript.sentences.map((s) => s.text).join('')).toBe(transcript.text);
    if (approximate) {
      expect(transcript.sentences.every((s) => s.tokens.length === 0)).toBe(true);
      expect(transcript.sentences.at(-1)?.endMs).toBe(9500);
    } else {
      expectSentencesOnBursts(transcript.sentences);
    }
  });
});
