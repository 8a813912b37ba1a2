import { describe, expect, it } from 'vitest';
import {
  buildLiveStartMessage,
  buildOfflineStartMessage,
  END_OF_AUDIO,
  LIVE_FRAME_SAMPLES,
  parseServerMessage,
  parseStampSents,
  parseTimestampField,
} from '../../../src-main/asr/protocol.js';
import { FunscribeError } from '../../../src-main/util/errors.js';

describe('buildOfflineStartMessage', () => {
  it('writes the exact first frame with JSON types the C++ server accepts', () => {
    const frame = buildOfflineStartMessage({
      wavName: 'meeting.m4a',
      itn: true,
      hotwords: [
        { phrase: '阿里巴巴', weight: 20 },
        { phrase: 'Electron Forge', weight: 35 },
      ],
    });
    expect(frame).toBe(
      '{"mode":"offline","chunk_size":[5,10,5],"wav_name":"meeting.m4a","wav_format":"pcm","audio_fs":16000,' +
        '"is_speaking":true,"itn":true,' +
        '"hotwords":"{\\"阿里巴巴\\":20,\\"Electron Forge\\":35}"}',
    );
    const parsed = JSON.parse(frame) as Record<string, unknown>;
    expect(typeof parsed.hotwords).toBe('string');
    expect(JSON.parse(parsed.hotwords as string)).toEqual({ 阿里巴巴: 20, 'Electron Forge': 35 });
    expect(Number.isInteger(parsed.audio_fs)).toBe(true);
  });

  it('omits hotwords when there are none and keeps itn a boolean', () => {
    const parsed = JSON.parse(buildOfflineStartMessage({ wavName: 'a', itn: false, hotwords: [] })) as Record<
      string,
      unknown
    >;
    expect(parsed).toEqual({
      mode: 'offline',
      chunk_size: [5, 10, 5],
      wav_name: 'a',
      wav_format: 'pcm',
      audio_fs: 16000,
      is_speaking: true,
      itn: false,
    });
    expect('hotwords' in parsed).toBe(false);
  });

  it('refuses invalid hotwords before anything is sent', () => {
    expect(() =>
      buildOfflineStartMessage({ wavName: 'a', itn: true, hotwords: [{ phrase: 'x', weight: 500 }] }),
    ).toThrow(expect.objectContaining({ code: 'HOTWORDS_INVALID' }));
  });

  it("starts live captions in 2pass mode with the official clients' chunk layout and 60 ms frames", () => {
    const frame = buildLiveStartMessage({
      wavName: 'rec',
      itn: true,
      hotwords: [{ phrase: '预算', weight: 20 }],
    });
    expect(frame).toBe(
      '{"mode":"2pass","chunk_size":[5,10,5],"chunk_interval":10,"wav_name":"rec","wav_format":"pcm",' +
        '"audio_fs":16000,"is_speaking":true,"itn":true,"hotwords":"{\\"预算\\":20}"}',
    );
    expect(LIVE_FRAME_SAMPLES).toBe(960);
  });

  it('ends audio with the JSON boolean false', () => {
    expect(JSON.stringify(END_OF_AUDIO)).toBe('{"is_speaking":false}');
  });
});

describe('parseTimestampField', () => {
  it('parses the JSON string the offline server sends', () => {
    expect(parseTimestampField('[[430,670],[670,810]]')).toEqual([
      [430, 670],
      [670, 810],
    ]);
  });

  it('repairs the 2pass "]][[" concatenation defect', () => {
    expect(parseTimestampField('[[1,2]][[3,4]]')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseTimestampField('[[1,2],[2,3]][[3,4]][[5,6]]')).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [5, 6],
    ]);
  });

  it('drops the repeated prefix of the 2pass cumulative groups', () => {
    expect(parseTimestampField('[[1,2],[3,4]][[1,2],[3,4][5,6]]')).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(parseTimestampField('[[10,20]][[10,20],[30,40]][[10,20],[30,40][50,60],[70,80]]')).toEqual([
      [10, 20],
      [30, 40],
      [50, 60],
      [70, 80],
    ]);
  });

  it('keeps what it can of a cut or comma-less string', () => {
    // A later sentence without stamps makes the server cut one more character: the last group repeats only a prefix.
    expect(parseTimestampField('[[1,2],[3,4]][[1,2],[3,4]')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseTimestampField('[[1,2]')).toEqual([[1, 2]]);
    expect(parseTimestampField('[[1, 2] [3 ,4]]')).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('accepts an array and drops malformed pairs', () => {
    expect(
      parseTimestampField([[10, 20], [30], 'x', [40, 'y'], [50, 40], [-1, 5], [60, 70, 99], null]),
    ).toEqual([
      [10, 20],
      [60, 70],
    ]);
  });

  it('treats the numeric epoch of newer 2pass builds, missing, empty and garbage values as no timestamps', () => {
    expect(parseTimestampField(1766300000000)).toEqual([]);
    expect(parseTimestampField(undefined)).toEqual([]);
    expect(parseTimestampField('')).toEqual([]);
    expect(parseTimestampField('{"a":1}')).toEqual([]);
    expect(parseTimestampField('[[a,b],[1]]')).toEqual([]);
    expect(parseTimestampField({ start: 1 })).toEqual([]);
  });
});

describe('parseStampSents', () => {
  it('reads the pieces and defaults bad fields', () => {
    expect(
      parseStampSents([
        {
          text_seg: '你 好',
          punc: '，',
          start: 100,
          end: 500,
          ts_list: [
            [100, 300],
            [300, 500],
          ],
        },
        { text_seg: 7, punc: null, ts_list: '[[600,700]]' },
        'junk',
        null,
      ]),
    ).toEqual([
      {
        textSeg: '你 好',
        punc: '，',
        start: 100,
        end: 500,
        tsList: [
          [100, 300],
          [300, 500],
        ],
      },
      { textSeg: '', punc: '', start: -1, end: -1, tsList: [[600, 700]] },
    ]);
  });

  it('gives null for "" (the server failed to build them) and for absent values', () => {
    expect(parseStampSents('')).toBeNull();
    expect(parseStampSents(undefined)).toBeNull();
    expect(parseStampSents({})).toBeNull();
  });
});

describe('parseServerMessage', () => {
  it('reads a real offline reply with is_final false', () => {
    const reply = parseServerMessage(
      '{"is_final":false,"mode":"offline","stamp_sents":[{"end":1130,"punc":"。","start":430,' +
        '"text_seg":"欢 迎 大 家","ts_list":[[430,670],[670,810],[810,1030],[1030,1130]]}],' +
        '"text":"欢迎大家。","timestamp":"[[430,670],[670,810],[810,1030],[1030,1130]]","wav_name":"demo"}',
    );
    expect(reply).toEqual({
      mode: 'offline',
      text: '欢迎大家。',
      isFinal: false,
      wavName: 'demo',
      timestamps: [
        [430, 670],
        [670, 810],
        [810, 1030],
        [1030, 1130],
      ],
      stampSents: [
        {
          textSeg: '欢 迎 大 家',
          punc: '。',
          start: 430,
          end: 1130,
          tsList: [
            [430, 670],
            [670, 810],
            [810, 1030],
            [1030, 1130],
          ],
        },
      ],
    });
  });

  it('reads the empty failure reply and a newer 2pass reply with a numeric timestamp', () => {
    expect(parseServerMessage('{"text":"","mode":"offline","is_final":false,"wav_name":"x"}')).toMatchObject({
      text: '',
      timestamps: [],
      stampSents: null,
    });
    const live = parseServerMessage(
      '{"is_final":true,"text":"好","timestamp":1766300000000,"slice_type":2,"index":3,"wav_name":"mic"}',
    );
    expect(live).toMatchObject({ mode: null, isFinal: true, text: '好', timestamps: [] });
  });

  it('treats a non-string text as empty', () => {
    expect(parseServerMessage('{"mode":"offline","text":42}').text).toBe('');
  });

  it('rejects invalid JSON and non-objects with ASR_BAD_REPLY', () => {
    for (const raw of ['not json', '{"text":', '[1,2]', '"text"', 'null', '42']) {
      expect(() => parseServerMessage(raw)).toThrow(
        expect.objectContaining({ code: 'ASR_BAD_REPLY', message: expect.stringContaining('FunASR server') }),
      );
      expect(() => parseServerMessage(raw)).toThrow(FunscribeError);
    }
  });
});
