// Which 2pass server live captions go to: the server the recording names (the command line's --server) when it is a
// 2pass server, else the managed engine when it runs a 2pass kind, else the first remote server in the settings that
// answers as a 2pass server (a tiny check transcription tells the kinds apart, see checkEngine).
import { checkEngine } from '../engine/pool/remote-engine.js';
import { untilAborted } from '../util/until-aborted.js';

/** How long one remote server's check may take when looking for a caption server, in ms. */
export const CAPTION_CHECK_TIMEOUT_MS = 3000;

/** A 2pass server for live captions. */
export interface CaptionServer {
  url: string;
  allowSelfSignedTls: boolean;
}

/** Where caption servers may be. */
export interface CaptionServerSources {
  /** The address of a ready managed engine that runs a 2pass kind, or null. */
  managed(): Promise<string | null>;
  /** Whether a managed engine of a 2pass kind is starting (it serves the captions once ready). */
  managedStarting(): boolean;
  /** The remote servers of the settings, in their order. */
  remotes(): readonly string[];
  allowSelfSignedTls(): boolean;
}

/** The first of `urls` whose check answers as a 2pass server (checked at once), or null. */
async function firstTwoPass(
  urls: readonly string[],
  allowSelfSignedTls: boolean,
  signal: AbortSignal | undefined,
): Promise<CaptionServer | null> {
  const options = { allowSelfSignedTls, signal, timeoutMs: CAPTION_CHECK_TIMEOUT_MS };
  const checks = await Promise.all(urls.map((url) => checkEngine(url, options).catch(() => null)));
  const twoPass = checks.find((check) => check?.ok && check.server?.kind === '2pass');
  return twoPass ? { url: twoPass.url, allowSelfSignedTls } : null;
}

/** What the lookup says when no caption server runs yet but a managed one of the 2pass kind is starting. */
export const CAPTION_SERVER_STARTING = 'starting';

/**
 * The caption server to use now, CAPTION_SERVER_STARTING when none runs but a managed one is starting, or null: `preferredUrl` first (when it is a 2pass server), then the
 * managed engine, then the remote servers. Every check has a deadline, `signal` cancels.
 */
export async function findCaptionServer(
  sources: CaptionServerSources,
  signal?: AbortSignal,
  preferredUrl: string | null = null,
): Promise<CaptionServer | typeof CAPTION_SERVER_STARTING | null> {
  const allowSelfSignedTls = sources.allowSelfSignedTls();
  const preferred = preferredUrl ? await firstTwoPass([preferredUrl], allowSelfSignedTls, signal) : null;
  if (preferred) return preferred;
  const managed = await untilAborted(sources.managed(), signal).catch(() => null);
  if (signal?.aborted) return null;
  if (managed) return { url: managed, allowSelfSignedTls };
  const remote = await firstTwoPass(sources.remotes(), allowSelfSignedTls, signal);
  return remote ?? (sources.managedStarting() ? CAPTION_SERVER_STARTING : null);
}
