// SubRip (.srt) export.
import type { Meeting } from '../../src-shared/types.js';
import { formatSrtTime } from '../../src-shared/time.js';
import { buildCues } from './cues.js';
import { defuseArrows } from './text.js';

/**
 * The meeting as SubRip subtitles: cues numbered from 1, `hh:mm:ss,mmm --> hh:mm:ss,mmm`, at most two lines each,
 * `Name: ` before the first cue of each change of speaker, a blank line between cues, LF line endings (every
 * mainstream player reads them). `<`, `&` are written as is (SubRip has no escapes); `-->` becomes `->`.
 */
export function toSrt(meeting: Meeting): string {
  return buildCues(meeting, { speakerPrefix: true })
    .map(
      (cue, i) =>
        `${i + 1}\n${formatSrtTime(cue.startMs)} --> ${formatSrtTime(cue.endMs)}\n${cue.lines.map(defuseArrows).join('\n')}\n`,
    )
    .join('\n');
}
