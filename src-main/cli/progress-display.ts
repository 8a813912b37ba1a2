// Progress bars for `funscribe transcribe` on a terminal (stderr), one per file.
import cliProgress from 'cli-progress';
import { basename } from 'node:path';
import type { JobInfo, JobStage } from '../../src-shared/types.js';
import { singleLineText } from '../util/control-chars.js';

/** Where each stage starts and how much of the whole job it is, for one overall percentage. */
const STAGE_SPAN: Record<JobStage, [number, number]> = {
  decode: [0, 0.15],
  transcribe: [0.15, 0.8],
  speakers: [0.95, 0.03],
  save: [0.98, 0.02],
};

/** The whole job's progress from 0 to 100. */
export function overallPercent(job: JobInfo): number {
  if (job.status === 'done') return 100;
  if (!job.stage) return 0;
  const [start, span] = STAGE_SPAN[job.stage];
  return Math.round((start + span * job.progress) * 100);
}

/** What the bar says about a job. */
function statusText(job: JobInfo): string {
  if (job.status === 'running') return job.stage ?? 'starting';
  if (job.status === 'failed') return `failed: ${job.error?.code ?? ''}`;
  return job.status;
}

/** Shows one bar per job; a no-op when stderr is not a terminal. */
export class ProgressDisplay {
  private readonly bars = new Map<string, cliProgress.SingleBar>();
  private readonly multi: cliProgress.MultiBar | null;

  constructor(enabled: boolean) {
    this.multi = enabled
      ? new cliProgress.MultiBar(
          {
            format: ' {bar} {percentage}% | {status} | {file}',
            hideCursor: true,
            clearOnComplete: false,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  }

  /** Updates (or creates) the bar of a job. */
  update(job: JobInfo): void {
    if (!this.multi) return;
    const payload = { status: statusText(job), file: singleLineText(basename(job.file)) };
    const bar = this.bars.get(job.id);
    if (bar) bar.update(overallPercent(job), payload);
    else this.bars.set(job.id, this.multi.create(100, overallPercent(job), payload));
  }

  /** Leaves the bars on screen and restores the cursor. */
  stop(): void {
    this.multi?.stop();
  }
}
