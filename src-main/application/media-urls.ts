// How the page addresses a meeting's audio: an opaque URL per meeting, never a file path.

/** The privileged scheme the desktop app serves meeting audio on (funscribe-media://meeting/<id>). */
export const MEDIA_SCHEME = 'funscribe-media';

/** Builds the media URL of a meeting's audio for one front end. */
export type MediaUrlOf = (meetingId: number) => string;

/** The desktop app's media URL of a meeting: funscribe-media://meeting/<id>. */
export const desktopMediaUrl: MediaUrlOf = (meetingId) => `${MEDIA_SCHEME}://meeting/${meetingId}`;

/** The meeting id a media URL's host and path name (`meeting` and `/<id>`), or null when they name none. */
export function meetingIdOfMediaPath(host: string, pathname: string): number | null {
  const match = /^\/(\d{1,15})$/.exec(pathname);
  if (host !== 'meeting' || !match) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
