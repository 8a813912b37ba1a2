// Aggregates the per-layer events of `docker pull` into one progress figure: bytes downloaded of the known total while
// any layer still downloads (or none has been fetched yet), then bytes extracted. Layers that already exist locally
// count as done.
import type { EngineProgress } from '../../src-shared/engine-types.js';

/** One event of the pull stream as the daemon sends it. */
export interface PullEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

type LayerPhase = 'waiting' | 'downloading' | 'downloaded' | 'extracting' | 'done';

interface Layer {
  phase: LayerPhase;
  size: number | null;
  downloaded: number;
  extracted: number;
  /** The layer was already on this machine ("Already exists"): done, but not a sign that extraction began. */
  local: boolean;
}

const PHASE_BY_STATUS: Record<string, LayerPhase> = {
  'Pulling fs layer': 'waiting',
  Waiting: 'waiting',
  Downloading: 'downloading',
  'Verifying Checksum': 'downloaded',
  'Download complete': 'downloaded',
  Extracting: 'extracting',
  'Pull complete': 'done',
  'Already exists': 'done',
};

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** A size in 1024-based units with one or two decimals, for progress lines (as ModelScope's bars count). */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(2)} GiB`;
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** Tracks the layers of one pull and turns each event into an overall EngineProgress. */
export class PullProgress {
  private readonly layers = new Map<string, Layer>();

  constructor(private readonly ref: string) {}

  /** Applies one event; returns the new overall progress, or null for events about no layer. */
  update(event: PullEvent): EngineProgress | null {
    const phase = event.status === undefined ? undefined : PHASE_BY_STATUS[event.status];
    if (!phase || !event.id) return null;
    const layer = this.layers.get(event.id) ?? {
      phase,
      size: null,
      downloaded: 0,
      extracted: 0,
      local: event.status === 'Already exists',
    };
    const { current, total } = event.progressDetail ?? {};
    if (typeof total === 'number' && total > 0) layer.size = total;
    if (phase === 'downloading' && typeof current === 'number') layer.downloaded = current;
    if (phase === 'extracting' && typeof current === 'number') layer.extracted = current;
    if (phase === 'downloaded' || phase === 'extracting' || phase === 'done') {
      layer.downloaded = layer.size ?? layer.downloaded;
    }
    if (phase === 'done') layer.extracted = layer.size ?? layer.extracted;
    layer.phase = phase;
    this.layers.set(event.id, layer);
    return this.summary();
  }

  /** The overall progress so far. */
  summary(): EngineProgress {
    const layers = [...this.layers.values()];
    const pulled = layers.filter((layer) => !layer.local);
    const downloading =
      pulled.length === 0 ||
      pulled.some((layer) => layer.phase === 'waiting' || layer.phase === 'downloading');
    const totalBytes = layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0);
    const doneBytes = layers.reduce(
      (sum, layer) =>
        sum + Math.min(downloading ? layer.downloaded : layer.extracted, layer.size ?? Infinity),
      0,
    );
    const finished = layers.filter((layer) =>
      downloading ? layer.phase !== 'waiting' && layer.phase !== 'downloading' : layer.phase === 'done',
    ).length;
    const verb = downloading ? 'Downloading' : 'Extracting';
    const bytes = totalBytes > 0 ? `, ${formatBytes(doneBytes)} of ${formatBytes(totalBytes)}` : '';
    return {
      phase: 'pull',
      subject: this.ref,
      doneBytes,
      totalBytes: totalBytes > 0 ? totalBytes : null,
      message: `${verb} ${this.ref}: ${finished}/${layers.length} layers${bytes}`,
      step: downloading ? 'pull-download' : 'pull-extract',
      params: { image: this.ref, done: finished, layers: layers.length },
    };
  }
}
