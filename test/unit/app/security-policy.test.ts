import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CONTENT_SECURITY_POLICY,
  isAppPageUrl,
  isAppResourceUrl,
  isPermissionAllowed,
  isPermissionCheckAllowed,
  isSafeExternalUrl,
  withContentSecurityPolicy,
} from '../../../src-main/app/security-policy.js';

const rendererDir = resolve('/opt/FunScribe 1.0/resources/app.asar/out/renderer');
const indexHtml = join(rendererDir, 'index.html');
const indexUrl = pathToFileURL(indexHtml).href;

describe('isAppPageUrl', () => {
  it('accepts the app page, also with a hash or query', () => {
    expect(indexUrl).toContain('%20');
    expect(isAppPageUrl(indexUrl, indexHtml)).toBe(true);
    expect(isAppPageUrl(`${indexUrl}#/meeting/3`, indexHtml)).toBe(true);
    expect(isAppPageUrl(`${indexUrl}?x=1`, indexHtml)).toBe(true);
  });

  it('refuses other files, other schemes and malformed URLs', () => {
    expect(isAppPageUrl(pathToFileURL(join(rendererDir, 'other.html')).href, indexHtml)).toBe(false);
    expect(isAppPageUrl(pathToFileURL(resolve('/tmp/index.html')).href, indexHtml)).toBe(false);
    expect(isAppPageUrl(`${pathToFileURL(rendererDir).href}/../renderer2/index.html`, indexHtml)).toBe(false);
    expect(isAppPageUrl('https://evil.example/index.html', indexHtml)).toBe(false);
    expect(isAppPageUrl('about:blank', indexHtml)).toBe(false);
    expect(isAppPageUrl('', indexHtml)).toBe(false);
    expect(isAppPageUrl('not a url', indexHtml)).toBe(false);
  });
});

describe('isAppResourceUrl', () => {
  it('accepts files inside the renderer folder only', () => {
    expect(isAppResourceUrl(indexUrl, rendererDir)).toBe(true);
    expect(
      isAppResourceUrl(pathToFileURL(join(rendererDir, 'assets', 'index-abc.js')).href, rendererDir),
    ).toBe(true);
    expect(
      isAppResourceUrl(pathToFileURL(join(rendererDir, '..', 'preload', 'preload.cjs')).href, rendererDir),
    ).toBe(false);
    expect(isAppResourceUrl(pathToFileURL(rendererDir).href, rendererDir)).toBe(false);
    expect(isAppResourceUrl('https://example.com/assets/a.js', rendererDir)).toBe(false);
  });
});

describe('isSafeExternalUrl', () => {
  it('lets only http(s) links open in the system browser', () => {
    expect(isSafeExternalUrl('https://github.com/modelscope/FunASR')).toBe(true);
    expect(isSafeExternalUrl('http://127.0.0.1:8080/')).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-settings:privacy',
      'https://user:pass@example.com/',
      'not a url',
    ]) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });
});

describe('isPermissionAllowed', () => {
  const ask = (permission: string, mediaTypes: string[], requestingUrl = indexUrl) =>
    isPermissionAllowed({ permission, requestingUrl, mediaTypes }, indexHtml);

  it('grants the app page the microphone, never the camera', () => {
    expect(ask('media', ['audio'])).toBe(true);
    expect(ask('media', ['audio'], `${indexUrl}#/record`)).toBe(true);
    expect(ask('media', ['video'])).toBe(false);
    expect(ask('media', ['audio', 'video'])).toBe(false);
    expect(ask('media', [])).toBe(false);
  });

  it('grants screen capture only with its audio (the system audio of a recording)', () => {
    expect(ask('display-capture', ['video', 'audio'])).toBe(true);
    expect(ask('display-capture', ['audio'])).toBe(true);
    expect(ask('display-capture', ['video'])).toBe(false);
    expect(ask('display-capture', [])).toBe(false);
    expect(ask('display-capture', ['audio', 'midi'])).toBe(false);
  });

  it('grants nothing to another page, and no other permission to the app page', () => {
    expect(ask('media', ['audio'], 'https://evil.example/')).toBe(false);
    expect(ask('display-capture', ['video', 'audio'], pathToFileURL(join(rendererDir, 'x.html')).href)).toBe(
      false,
    );
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'unknown']) {
      expect(ask(permission, [])).toBe(false);
      expect(ask(permission, ['audio'])).toBe(false);
    }
  });
});

describe('isPermissionCheckAllowed', () => {
  it('answers yes for the microphone and screen capture of the app page only', () => {
    expect(isPermissionCheckAllowed('media', 'audio', indexUrl, indexHtml)).toBe(true);
    expect(isPermissionCheckAllowed('media', 'video', indexUrl, indexHtml)).toBe(false);
    expect(isPermissionCheckAllowed('media', 'unknown', indexUrl, indexHtml)).toBe(false);
    expect(isPermissionCheckAllowed('media', undefined, indexUrl, indexHtml)).toBe(false);
    expect(isPermissionCheckAllowed('display-capture', undefined, indexUrl, indexHtml)).toBe(true);
    expect(isPermissionCheckAllowed('media', 'audio', 'https://evil.example/', indexHtml)).toBe(false);
    expect(isPermissionCheckAllowed('display-capture', 'audio', 'about:blank', indexHtml)).toBe(false);
    expect(isPermissionCheckAllowed('notifications', undefined, indexUrl, indexHtml)).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  it('replaces any CSP header, whatever its letter case, and keeps other headers', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ['default-src *'],
      'X-Other': ['1'],
    });
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('is strict: no inline or remote scripts, no plugins, no framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });

  it('is also the <meta> policy of the renderer page (minus frame-ancestors, which a <meta> cannot set)', () => {
    const html = readFileSync(new URL('../../../src-renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });
});
