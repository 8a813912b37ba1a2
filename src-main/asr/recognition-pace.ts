// How long each FunASR server takes to answer once it has all the audio, as its last whole-file answers showed (per
// URL, for as long as the process runs). A real server sends nothing while it recognises a file (minutes for a long
// one), so without this the transcribe stage's progress, and the job's time left, would stand still meanwhile.
import { ServerMemory } from './server-memory.js';

/** Answers to less audio than this say more about a server's fixed overhead than its pace, and are not noted. */
const MIN_AUDIO_MS = 10_000;
/** How often the expected share of a wait is reported, in ms. */
const PACE_REPORT_MS = 1000;
/** The most of a wait shown as done before its answer arrives: a server slower than last time stays just short. */
export const MAX_EXPECTED_SHARE = 0.95;

/** Each server's wait per ms of audio, averaged with the previous answers' (recent ones count most). */
const paces = new ServerMemory<number>();

/** The share of the expected wait that `waitedMs` is, for `audioMs` of audio at `url`; null when its pace is unknown. */
function expectedShare(url: string, audioMs: number, waitedMs: number): number | null {
  const pace = paces.get(url);
  if (pace === undefined) return null;
  return Math.min(MAX_EXPECTED_SHARE, waitedMs / Math.max(1, pace * audioMs));
}

/**
 * One wait for a server's answer to `audioMs` of audio: once a second it reports the share of the expected wait that
 * has passed (when the server's pace is known), and once answered it notes the server's pace.
 */
export class RecognitionWait {
  private readonly startedAt = performance.now();
  private readonly timer: ReturnType<typeof setInterval> | null;

  constructor(
    private readonly url: string,
    private readonly audioMs: number,
    report: ((share: number) => void) | undefined,
  ) {
    this.timer = report
      ? setInterval(() => {
          const share = expectedShare(url, audioMs, performance.now() - this.startedAt);
          if (share !== null) report(share);
        }, PACE_REPORT_MS)
      : null;
  }

  /** Stops the reports. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Stops the reports and notes the pace of the answer that has just arrived. */
  answered(): void {
    this.stop();
    if (this.audioMs < MIN_AUDIO_MS) return;
    const pace = (performance.now() - this.startedAt) / this.audioMs;
    const before = paces.get(this.url);
    paces.note(this.url, before === undefined ? pace : (before + pace) / 2);
  }
}
