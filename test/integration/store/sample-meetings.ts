// Meetings used by the store tests.
import type { NewMeeting } from '../../../src-main/store/new-meeting.js';

/** A small two-speaker meeting with tokens on its segments. */
export function sampleMeeting(overrides: Partial<NewMeeting> = {}): NewMeeting {
  return {
    title: '周会 Weekly sync',
    source: '/recordings/weekly.m4a',
    durationMs: 12_000,
    createdAt: Date.UTC(2025, 5, 1, 9, 0, 0),
    audioPath: '/data/audio/weekly.pcm',
    speakers: [{ label: 'Speaker 1' }, { label: 'Speaker 2', name: 'Alice' }],
    segments: [
      {
        startMs: 4000,
        endMs: 8000,
        text: 'The project budget is approved.',
        speakerIndex: 1,
        tokens: [
          { text: 'The', startMs: 4000, endMs: 4300 },
          { text: 'project', startMs: 4300, endMs: 5000 },
        ],
      },
      {
        startMs: 0,
        endMs: 3900,
        text: '今天我们讨论了项目预算和时间安排',
        speakerIndex: 0,
        tokens: [
          { text: '今', startMs: 0, endMs: 200 },
          { text: '天', startMs: 200, endMs: 400 },
        ],
      },
      { startMs: 8000, endMs: 12_000, text: '好的，没问题。', speakerIndex: null, tokens: [] },
    ],
    ...overrides,
  };
}
