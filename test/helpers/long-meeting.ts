// A long generated meeting (a 3-hour one has 5,000 sentences with a timed token per Chinese character), stored
// through the real repository: what the transcript test and the transcript-open bench open.
import type { NewMeeting } from '../../src-main/store/new-meeting.js';
import type { MeetingRepository } from '../../src-main/store/meetings-repo.js';
import type { Token } from '../../src-shared/types.js';
import { seededRandom } from '../../src-main/util/seeded-random.js';

const PHRASES = [
  '我们今天先过一下项目进度',
  '预算这边还需要再确认一下',
  '下周一之前把方案发给客户',
  '测试环境已经部署好了',
  '这个需求的优先级比较高',
  '市场部那边反馈还不错',
  '数据分析的结果下午出来',
  '上线时间可能要往后推一周',
  '大家有没有其他问题',
  '我觉得可以先小范围试一下',
  '服务器的成本要控制住',
  '用户体验还有改进的空间',
];
const MARKS = ['，', '。', '？'];

/** A generated sentence: one or two phrases with their punctuation, and its characters with the mark after each. */
function sentenceText(random: () => number): {
  text: string;
  chars: string[];
  marks: (string | undefined)[];
} {
  const pick = (): string => PHRASES[Math.floor(random() * PHRASES.length)]!;
  const pieces = random() < 0.4 ? [pick(), pick()] : [pick()];
  const chars: string[] = [];
  const marks: (string | undefined)[] = [];
  pieces.forEach((piece, p) => {
    const last = p === pieces.length - 1;
    [...piece].forEach((char, c) => {
      chars.push(char);
      const end = c === piece.length - 1;
      marks.push(end ? (last ? MARKS[1 + Math.floor(random() * 2)] : MARKS[0]) : undefined);
    });
  });
  return { text: chars.map((char, i) => char + (marks[i] ?? '')).join(''), chars, marks };
}

/** A meeting of `sentences` sentences over `durationMs`, three speakers taking turns of 1–6 sentences. */
export function longMeeting(sentences: number, durationMs: number, seed = 7): NewMeeting {
  const random = seededRandom(seed);
  const slot = durationMs / sentences;
  let speakerIndex = 0;
  let turnLeft = 0;
  const segments: NewMeeting['segments'] = [];
  for (let i = 0; i < sentences; i++) {
    if (turnLeft === 0) {
      speakerIndex = (speakerIndex + 1 + Math.floor(random() * 2)) % 3;
      turnLeft = 1 + Math.floor(random() * 6);
    }
    turnLeft--;
    const { text, chars, marks } = sentenceText(random);
    const startMs = Math.round(i * slot);
    const step = Math.floor((slot * 0.9) / chars.length);
    const tokens: Token[] = chars.map((char, c) => ({
      text: char,
      startMs: startMs + c * step,
      endMs: startMs + (c + 1) * step,
      ...(marks[c] ? { punc: marks[c] } : {}),
    }));
    segments.push({ startMs, endMs: tokens.at(-1)!.endMs, text, tokens, speakerIndex });
  }
  return {
    title: `Quarterly planning (${sentences} sentences)`,
    source: '/recordings/quarterly-planning.m4a',
    durationMs,
    speakers: [{ label: 'Speaker 1' }, { label: 'Speaker 2' }, { label: 'Speaker 3', name: '王经理' }],
    segments,
  };
}

/** Stores a long meeting through the repository and returns its id. */
export function storeLongMeeting(
  meetings: MeetingRepository,
  sentences = 5000,
  durationMs = 3 * 3600_000,
): number {
  return meetings.create(longMeeting(sentences, durationMs)).id;
}
