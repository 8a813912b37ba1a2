// Spreads files over every healthy FunASR engine (remote servers and the managed one) with a per-engine limit.
// An engine whose connection fails is taken out and re-checked with back-off; callers wait in FIFO order.
import type { ErrorInfo } from '../../../src-shared/types.js';
import { checkEngine, type EngineHealth } from './remote-engine.js';
import { ServerUrlSchema } from '../../../src-shared/schemas/settings.js';
import { parseOrThrow } from '../../util/validation.js';
import { FunscribeError, throwIfAborted, toErrorInfo } from '../../util/errors.js';
import { isEngineFailure, mayRecover, unavailableError } from './engine-failures.js';
import { validateEngines } from './engine-list.js';
import type { EngineLease, EnginePoolOptions, PoolEngine, PoolEngineStatus } from './pool-types.js';
import { newSlot, retire, statusOf, type Slot } from './engine-slot.js';
import { untilAborted } from '../../util/until-aborted.js';

/** Default wait for an engine to come back while none is healthy. */
const DEFAULT_UNAVAILABLE_TIMEOUT_MS = 180_000;
/** Default re-check back-off of an engine that is out. */
const DEFAULT_RECHECK = { firstMs: 1_000, maxMs: 15_000 };

/** A caller of `acquire` waiting for a free slot. */
interface Waiter {
  resolve(slot: Slot): void;
  reject(error: unknown): void;
  /** Runs while no engine is healthy; rejects with ENGINE_UNAVAILABLE when it fires. */
  timer: NodeJS.Timeout | null;
  detach(): void;
}

/** The health check of one engine, with its id. */
export type PoolEngineHealth = EngineHealth & { engineId: string };

/** Hands out engine slots: least-loaded healthy engine first, FIFO waiting, failed engines re-checked with back-off. */
export class EnginePool {
  private slots: Slot[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly listeners = new Set<(status: PoolEngineStatus) => void>();
  private readonly unavailableTimeoutMs: number;
  private readonly recheck: { firstMs: number; maxMs: number };

  constructor(private readonly options: EnginePoolOptions = {}) {
    this.unavailableTimeoutMs = options.unavailableTimeoutMs ?? DEFAULT_UNAVAILABLE_TIMEOUT_MS;
    this.recheck = options.recheck ?? DEFAULT_RECHECK;
    this.setEngines(options.engines ?? []);
  }

  /** Replaces the engine list; engines kept with the same id and address keep their state and running work. */
  setEngines(engines: readonly PoolEngine[]): void {
    const next = validateEngines(engines).map((spec) => {
      const kept = this.slots.find((slot) => slot.spec.id === spec.id && slot.spec.url === spec.url);
      if (kept) kept.spec = spec;
      return kept ?? newSlot(spec);
    });
    for (const slot of this.slots) if (!next.includes(slot)) retire(slot);
    this.slots = next;
    this.pump();
  }

  /** Waits for a slot on a healthy engine (resolving a lazy address on first use). */
  async acquire(signal?: AbortSignal): Promise<EngineLease> {
    for (;;) {
      const slot = await this.take(signal);
      try {
        const url = await untilAborted(this.resolveUrl(slot), signal);
        return this.lease(slot, url);
      } catch (error) {
        this.free(slot);
        throwIfAborted(signal);
        if (!slot.removed.signal.aborted) this.takeOut(slot, toErrorInfo(error));
      }
    }
  }

  /** Checks every engine now (a lazy address is resolved, which may start the managed engine) and records the result. */
  async checkAll(): Promise<PoolEngineHealth[]> {
    return Promise.all(
      this.slots.map(async (slot) => {
        const health = await this.check(slot);
        this.apply(slot, health);
        return { ...health, engineId: slot.spec.id };
      }),
    );
  }

  /** What the pool knows about each engine. */
  statuses(): PoolEngineStatus[] {
    return this.slots.map(statusOf);
  }

  /** Calls `listener` whenever an engine goes out or comes back; returns a function that unsubscribes. */
  onHealthChange(listener: (status: PoolEngineStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the re-checks and rejects every waiting caller with CANCELLED. */
  close(): void {
    for (const slot of this.slots) retire(slot);
    this.slots = [];
    for (const waiter of this.waiters.splice(0)) {
      waiter.detach();
      waiter.reject(new FunscribeError('CANCELLED', 'Cancelled: the engine pool was closed.'));
    }
  }

  /** Queues the caller and serves the queue; resolves with a slot already counted as active. */
  private take(signal: AbortSignal | undefined): Promise<Slot> {
    throwIfAborted(signal);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.detach();
        reject(new FunscribeError('CANCELLED', 'Cancelled.'));
      };
      const waiter: Waiter = {
        resolve,
        reject,
        timer: null,
        detach: () => {
          if (waiter.timer) clearTimeout(waiter.timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /** Serves waiters in order; when no engine is healthy, starts their timeouts (or fails them when none can recover). */
  private pump(): void {
    for (let slot = this.pick(); slot && this.waiters.length > 0; slot = this.pick()) {
      const waiter = this.waiters.shift() as Waiter;
      waiter.detach();
      slot.active += 1;
      waiter.resolve(slot);
    }
    if (this.waiters.length === 0) return;
    if (this.slots.some((slot) => slot.healthy)) {
      for (const waiter of this.waiters) {
        if (waiter.timer) clearTimeout(waiter.timer);
        waiter.timer = null;
      }
    } else if (!this.slots.some((slot) => mayRecover(slot.error))) {
      this.failWaiters(this.waiters.splice(0));
    } else {
      for (const waiter of this.waiters) {
        waiter.timer ??= setTimeout(() => {
          this.failWaiters(this.waiters.splice(this.waiters.indexOf(waiter), 1));
        }, this.unavailableTimeoutMs);
      }
    }
  }

  /** Rejects waiters with ENGINE_UNAVAILABLE naming each engine's last error. */
  private failWaiters(waiters: Waiter[]): void {
    const error = unavailableError(this.statuses());
    for (const waiter of waiters) {
      waiter.detach();
      waiter.reject(error);
    }
  }

  /** The healthy engine with a free slot and the lowest load (share of its limit in use); ties go to list order. */
  private pick(): Slot | null {
    let best: Slot | null = null;
    for (const slot of this.slots) {
      if (!slot.healthy || slot.active >= slot.spec.concurrency) continue;
      if (!best || slot.active / slot.spec.concurrency < best.active / best.spec.concurrency) best = slot;
    }
    return best;
  }

  /** The engine's address: fixed, known, or resolved once for all concurrent callers. */
  private resolveUrl(slot: Slot): Promise<string> {
    const { url } = slot.spec;
    if (slot.url !== null) return Promise.resolve(slot.url);
    if (typeof url === 'string') return Promise.resolve(url);
    slot.resolving ??= url(slot.removed.signal)
      .then((resolved) => (slot.url = parseOrThrow(ServerUrlSchema, resolved)))
      .finally(() => (slot.resolving = null));
    return slot.resolving;
  }

  /** A lease on an active slot. */
  private lease(slot: Slot, url: string): EngineLease {
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.free(slot);
    };
    return {
      engineId: slot.spec.id,
      url,
      allowSelfSignedTls: slot.spec.allowSelfSignedTls,
      release,
      reportFailure: (error) => {
        if (!released && isEngineFailure(error)) this.takeOut(slot, toErrorInfo(error));
        release();
      },
    };
  }

  /** Gives a slot back and serves the next waiter. */
  private free(slot: Slot): void {
    slot.active -= 1;
    this.pump();
  }

  /** Marks an engine as out with `error` and plans its re-check. */
  private takeOut(slot: Slot, error: ErrorInfo): void {
    const wasHealthy = slot.healthy;
    Object.assign(slot, { healthy: false, error, latencyMs: null, checkedAt: Date.now() });
    if (typeof slot.spec.url === 'function') slot.url = null;
    if (!slot.recheckTimer && !slot.checking && !slot.removed.signal.aborted) this.planRecheck(slot);
    if (wasHealthy) this.emit(slot);
    this.pump();
  }

  /** Re-checks an engine that is out after the back-off delay. */
  private planRecheck(slot: Slot): void {
    const delay = Math.min(this.recheck.maxMs, this.recheck.firstMs * 2 ** slot.failures);
    slot.failures += 1;
    slot.recheckTimer = setTimeout(() => {
      slot.recheckTimer = null;
      slot.checking = true;
      void this.check(slot).then((health) => {
        slot.checking = false;
        if (!slot.removed.signal.aborted) this.apply(slot, health);
      });
    }, delay);
    slot.recheckTimer.unref();
  }

  /** One health check: resolve the address, then a tiny transcription. Never rejects. */
  private async check(slot: Slot): Promise<EngineHealth> {
    const checkedAt = Date.now();
    try {
      const url = await this.resolveUrl(slot);
      return await checkEngine(url, {
        allowSelfSignedTls: slot.spec.allowSelfSignedTls,
        timeoutMs: this.options.checkTimeoutMs,
        signal: slot.removed.signal,
      });
    } catch (error) {
      return {
        url: slot.url ?? '',
        ok: false,
        latencyMs: null,
        server: null,
        error: toErrorInfo(error),
        checkedAt,
      };
    }
  }

  /** Records a check's result: back in the pool, or out (again) with the next re-check planned. */
  private apply(slot: Slot, health: EngineHealth): void {
    if (!health.ok) return this.takeOut(slot, health.error as ErrorInfo);
    const wasHealthy = slot.healthy;
    if (slot.recheckTimer) clearTimeout(slot.recheckTimer);
    Object.assign(slot, {
      healthy: true,
      error: null,
      failures: 0,
      recheckTimer: null,
      latencyMs: health.latencyMs,
      checkedAt: health.checkedAt,
    });
    if (!wasHealthy) this.emit(slot);
    this.pump();
  }

  /** Tells the listeners about an engine's new health. */
  private emit(slot: Slot): void {
    const status = statusOf(slot);
    for (const listener of this.listeners) listener(status);
  }
}
