// Meetings the export tests render: built here from plain data, with token timestamps where FunASR would give them.
import type { Meeting, Segment, Speaker, Token } from '../../../src-shared/types.js';

/** Two speakers of a meeting: the first renamed "Alice" by the user, the second still "Speaker 2". */
export const SPEAKERS: Speaker[] = [
  { id: 7, number: 1, label: 'Speaker 1', name: 'Alice' },
  { id: 9, number: 2, label: 'Speaker 2', name: null },
];

/** A meeting around the given speakers and segments (ids assigned in order). */
export function meeting(
  segments: Omit<Segment, 'id'>[],
  speakers: Speaker[] = SPEAKERS,
  title = 'Weekly sync',
): Meeting {
  const last = segments.reduce((end, s) => Math.max(end, s.endMs), 0);
  return {
    id: 1,
    title,
    sourceName: 'sync.m4a',
    createdAt: Date.UTC(2024, 4, 1, 6, 3, 20),
    durationMs: last,
    segmentCount: segments.length,
    speakerCount: speakers.length,
    speakers,
    segments: segments.map((segment, i) => ({ id: i + 1, ...segment })),
  };
}

/** Token timestamps the way FunASR reports them: one per CJK character or Latin word, punctuation left out. */
export function tokensFor(text: string, startMs: number, msPerToken: number): Token[] {
  const pieces = text.match(/[\p{Script=Han}]|[A-Za-z0-9']+/gu) ?? [];
  return pieces.map((piece, i) => ({
    text: piece.toLowerCase(),
    startMs: startMs + i * msPerToken,
    endMs: startMs + i * msPerToken + Math.round(msPerToken * 0.8),
  }));
}

/** A segment spoken at a steady pace, with tokens, starting at `startMs`. */
export function spoken(
  text: string,
  startMs: number,
  speakerId: number | null,
  msPerToken = 300,
): Omit<Segment, 'id'> {
  const tokens = tokensFor(text, startMs, msPerToken);
  return { startMs, endMs: startMs + tokens.length * msPerToken, text, speakerId, tokens };
}

/** A segment without token timestamps. */
export function plain(
  text: string,
  startMs: number,
  endMs: number,
  speakerId: number | null,
): Omit<Segment, 'id'> {
  return { startMs, endMs, text, speakerId, tokens: [] };
}

const CJK_SENTENCES =
  '我们今天主要讨论一下第三季度的项目预算，然后再看看各个小组的进度安排。市场部那边提出要增加推广费用，' +
  '但是财务部认为目前的预算已经非常紧张了，所以我们需要找到一个平衡点。另外，技术团队希望能够在下个月之前完成' +
  '新系统的上线工作，这需要大家的配合。最后，请各位在周五之前提交自己部门的总结报告，谢谢大家。会议就到这里，' +
  '下周同一时间我们继续讨论剩下的议题，有问题请随时在群里留言。';

/** A 200-character Chinese segment (punctuation included). */
export const LONG_CJK = Array.from(CJK_SENTENCES).slice(0, 200).join('');

/** The test meetings by name. */
export const MEETINGS: Record<string, Meeting> = {
  chinese: meeting([
    spoken('大家好，今天我们开会讨论预算。', 0, 7),
    spoken('好的，我先说一下市场部的情况。', 5200, 9),
    spoken('请继续。', 10_000, 7),
  ]),
  english: meeting([
    spoken('Good morning everyone, thanks for joining the weekly sync.', 0, 7),
    spoken(
      'The release is on track, but the installer for Windows still needs signing and we are waiting on the certificate from the vendor.',
      4000,
      9,
      350,
    ),
    plain('Great, let us move on.', 13_000, 15_000, 7),
  ]),
  mixed: meeting([
    spoken('我们用 Python 写了一个 FunASR 的 WebSocket 客户端，效果还不错。', 0, 7),
    spoken('Nice, 那 latency 大概是多少？', 6000, 9),
    plain('大概两百 milliseconds 左右，on a laptop CPU 也可以接受。', 9000, 13_000, null),
  ]),
  empty: meeting([]),
  threeHours: meeting([
    plain('Kick-off.', 0, 2000, 7),
    plain('Halfway there.', 5_400_000, 5_403_000, 9),
    plain('Last words.', 10_799_999, 10_801_500, 7),
  ]),
  longCjk: meeting([spoken(LONG_CJK, 1000, 9, 230)]),
  special: meeting([
    plain('Is a < b && c --> d?\nYes, <i>really</i>.', 1000, 6000, 7),
    plain('Use --> arrows & <v Bob> tags\n\nfreely.', 6500, 9000, 9),
  ]),
};
