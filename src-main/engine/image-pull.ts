// Pulling an image with progress and cancellation, and turning registry failures into messages people can act on.
// A pull that was cancelled or broke off resumes when pulled again: the daemon keeps the layers it finished.
import type Dockerode from 'dockerode';
import { FunscribeError } from '../util/errors.js';
import type { EngineProgress } from '../../src-shared/engine-types.js';
import { PullProgress, type PullEvent } from './pull-progress.js';

/** Options of one pull. */
export interface PullOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
}

/** Maps a pull failure (HTTP error or an error event in the stream) to a FunscribeError with a stable code. */
export function pullError(error: unknown, ref: string): FunscribeError {
  if (error instanceof FunscribeError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    statusCode?: number;
    code?: string;
    name?: string;
    message?: string;
  };
  const text = shape.message ?? String(error);
  const options = { cause: error };
  if (shape.name === 'AbortError' || shape.code === 'ABORT_ERR') {
    return new FunscribeError('CANCELLED', `Downloading ${ref} was cancelled; starting again resumes it.`);
  }
  if (/no space left on device/i.test(text)) {
    return new FunscribeError(
      'DISK_FULL',
      `The disk Docker stores images on is full while downloading ${ref}. Free some space (docker system prune removes unused images) and try again.`,
      { ...options, params: { reason: 'image', image: ref } },
    );
  }
  if (shape.statusCode === 404 || /manifest unknown|not found|does not exist/i.test(text)) {
    return new FunscribeError(
      'IMAGE_NOT_FOUND',
      `The image ${ref} does not exist in the registry: check the tag (${text}).`,
      { ...options, params: { reason: 'missing', image: ref } },
    );
  }
  if (
    shape.statusCode === 401 ||
    shape.statusCode === 403 ||
    /unauthorized|denied|authentication required/i.test(text)
  ) {
    return new FunscribeError(
      'REGISTRY_AUTH',
      `The registry refused to give out ${ref} (access denied). Check the image name, or log in with docker login.`,
      { ...options, params: { reason: 'denied', image: ref } },
    );
  }
  if (
    ['ENOTFOUND', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET'].includes(shape.code ?? '') ||
    /timeout|no such host|connection refused|dial tcp|i\/o timeout|network is unreachable|TLS handshake/i.test(
      text,
    )
  ) {
    return new FunscribeError(
      'REGISTRY_UNREACHABLE',
      `Docker cannot reach the registry of ${ref}: check the internet connection or proxy settings (${text}).`,
      { ...options, params: { reason: 'unreachable', image: ref } },
    );
  }
  return new FunscribeError('DOCKER_ERROR', `Downloading ${ref} failed: ${text}`, {
    ...options,
    params: { reason: 'pull', image: ref },
  });
}

/** Pulls `ref`, reporting progress aggregated over layers; rejects with a mapped FunscribeError. */
export async function pullImage(docker: Dockerode, ref: string, options: PullOptions = {}): Promise<void> {
  const { signal, onProgress } = options;
  if (signal?.aborted) throw pullError({ name: 'AbortError' }, ref);
  const tracker = new PullProgress(ref);
  try {
    const stream = await docker.pull(ref, { abortSignal: signal });
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(pullError({ name: 'AbortError' }, ref));
      signal?.addEventListener('abort', onAbort, { once: true });
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: PullEvent[]) => {
          signal?.removeEventListener('abort', onAbort);
          const failed = events?.find((event) => event.error);
          if (error) reject(error);
          else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
          else resolve();
        },
        (event: PullEvent) => {
          const progress = tracker.update(event);
          if (progress) onProgress?.(progress);
        },
      );
    });
  } catch (error) {
    throw pullError(signal?.aborted ? { name: 'AbortError' } : error, ref);
  }
}
