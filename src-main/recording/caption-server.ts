// Which 2pass server live captions go to: the managed engine when it runs a 2pass kind, else the first remote server
// in the settings that answers as a 2pass server (a tiny check transcription tells the kinds apart, see checkEngine).
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
  /** The remote servers of the settings, in their order. */
  remotes(): readonly string[];
  allowSelfSignedTls(): boolean;
}

/** The caption server to use now, or null when none runs; every check has a deadline, `signal` cancels. */
export async function findCaptionServer(
  sources: CaptionServerSources,
  signal?: AbortSignal,
): Promise<CaptionServer | null> {
  const allowSelfSignedTls = sources.allowSelfSignedTls();
  const managed = await untilAborted(sources.managed(), signal).catch(() => null);
  if (signal?.aborted) return null;
  if (managed) return { url: managed, allowSelfSignedTls };
  const checks = await Promise.all(
    sources
      .remotes()
      .map((url) =>
        checkEngine(url, { allowSelfSignedTls, signal, timeoutMs: CAPTION_CHECK_TIMEOUT_MS }).catch(
          () => null,
        ),
      ),
  );
  const twoPass = checks.find((check) => check?.ok && check.server?.kind === '2pass');
  return twoPass ? { url: twoPass.url, allowSelfSignedTls } : null;
}
