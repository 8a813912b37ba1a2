// The desktop app's media protocol: funscribe-media://meeting/<id> answers with the meeting's audio, with Range
// support, so the page's audio element streams and seeks it without ever seeing a file path. A thin adapter: the
// answer itself comes from the application service (the test bridge serves the same one over plain HTTP).
import { protocol } from 'electron';
import { Readable } from 'node:stream';
import type { MediaOperations } from '../application/media.js';
import { MEDIA_SCHEME, meetingIdOfMediaPath } from '../application/media-urls.js';

/**
 * Declares the media scheme privileged (standard URLs, secure like https, streamed, usable by fetch); Electron
 * accepts this only before the app is ready.
 */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: MEDIA_SCHEME,
      privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true },
    },
  ]);
}

/** Serves the media scheme from the application service (after the app is ready). */
export function handleMediaScheme(media: Pick<MediaOperations, 'meetingMediaResponse'>): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    const answer = await media.meetingMediaResponse(
      meetingIdOfMediaPath(url.host, url.pathname),
      request.headers.get('range'),
      request.method,
    );
    const body = answer.body ? (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>) : null;
    return new Response(body, { status: answer.status, headers: answer.headers });
  });
}
