// The security rules of the desktop app as pure functions: which pages are ours, which links may open outside,
// which permissions a page gets, and the Content-Security-Policy. No Electron here, so all of it is unit-tested.
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEDIA_SCHEME } from '../application/media-urls.js';

/** The Content-Security-Policy of the app's own pages (also set as a `<meta>` tag in index.html). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  `media-src 'self' ${MEDIA_SCHEME}:`,
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Permissions the app's page may be granted: `media` for the microphone (never the camera), and `display-capture` for
 * the system audio of a recording (Electron asks for a screen with it; the page drops that video track).
 */
export const ALLOWED_PERMISSIONS: readonly string[] = ['media', 'display-capture'];

/** A permission request of a page: the permission, the page's URL and, for media, the kinds of media asked for. */
export interface PermissionAsk {
  permission: string;
  requestingUrl: string;
  /** 'audio' and/or 'video' for `media` and `display-capture` requests; empty for other permissions. */
  mediaTypes: readonly string[];
}

/** The local path of a `file:` URL, or null for any other or malformed URL. Query and hash are ignored. */
function filePathOf(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return null;
  parsed.search = '';
  parsed.hash = '';
  try {
    return resolve(fileURLToPath(parsed));
  } catch {
    return null;
  }
}

/** True when `url` is exactly the app's page, the `file:` URL of `indexHtmlPath`. */
export function isAppPageUrl(url: string, indexHtmlPath: string): boolean {
  return filePathOf(url) === resolve(indexHtmlPath);
}

/** True when `url` is a `file:` URL inside `rendererDir` (the page and its scripts, styles and images). */
export function isAppResourceUrl(url: string, rendererDir: string): boolean {
  const path = filePathOf(url);
  if (path === null) return false;
  const inside = relative(resolve(rendererDir), path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

/** True when a link may be handed to the system browser: only http(s) URLs without embedded credentials. */
export function isSafeExternalUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** True when the media of a request fits its permission: the microphone alone, or a screen with its system audio. */
function asksOnlyAllowedMedia(permission: string, mediaTypes: readonly string[]): boolean {
  if (permission === 'media') return mediaTypes.length > 0 && mediaTypes.every((kind) => kind === 'audio');
  return mediaTypes.includes('audio') && mediaTypes.every((kind) => kind === 'audio' || kind === 'video');
}

/** True when the app's page asks for a permission it may have, with no media beyond what recording needs. */
export function isPermissionAllowed(ask: PermissionAsk, indexHtmlPath: string): boolean {
  return (
    ALLOWED_PERMISSIONS.includes(ask.permission) &&
    isAppPageUrl(ask.requestingUrl, indexHtmlPath) &&
    asksOnlyAllowedMedia(ask.permission, ask.mediaTypes)
  );
}

/**
 * True when a permission check of the page at `requestingUrl` is answered yes: the microphone (so its devices are
 * listed with their names), and screen capture, which a check does not grant (the request and the display-media
 * handler decide).
 */
export function isPermissionCheckAllowed(
  permission: string,
  mediaType: string | undefined,
  requestingUrl: string,
  indexHtmlPath: string,
): boolean {
  if (!ALLOWED_PERMISSIONS.includes(permission) || !isAppPageUrl(requestingUrl, indexHtmlPath)) return false;
  return permission === 'display-capture' || mediaType === 'audio';
}

/** Response headers with the app's CSP added (replacing any CSP header already present, in any letter case). */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(
    ([name]) => name.toLowerCase() !== 'content-security-policy',
  );
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}
