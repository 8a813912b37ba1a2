// The IPC router over the real services (SQLite in a temp dir). Electron cannot run here, so ipcMain is the
// one stand-in: a Map of channel → listener, which is all the router touches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  API_METHODS,
  methodChannel,
  type ApiEventMap,
  type ApiEventName,
  type ApiMethodName,
  type ApiResult,
} from '../../../src-shared/contract.js';
import { createAppService } from '../../../src-main/application/app-service.js';
import {
  registerIpcRouter,
  type IpcMainLike,
  type InvokeEventLike,
} from '../../../src-main/app/ipc-router.js';
import { isAppPageUrl } from '../../../src-main/app/security-policy.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** ipcMain reduced to what the router uses. */
class FakeIpcMain implements IpcMainLike {
  readonly listeners = new Map<string, Listener>();

  handle(channel: string, listener: Listener): void {
    if (this.listeners.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.listeners.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.listeners.delete(channel);
  }

  /** What `ipcRenderer.invoke` would resolve to for a call from a frame at `frameUrl`. */
  async invoke(
    frameUrl: string | null,
    method: ApiMethodName,
    ...args: unknown[]
  ): Promise<ApiResult<unknown>> {
    const listener = this.listeners.get(methodChannel(method));
    if (!listener) throw new Error(`No handler registered for '${methodChannel(method)}'`);
    return (await listener(
      { senderFrame: frameUrl === null ? null : { url: frameUrl } },
      ...args,
    )) as ApiResult<unknown>;
  }
}

const indexHtml = join('/opt/funscribe/resources/app.asar/out/renderer', 'index.html');
const appPage = pathToFileURL(indexHtml).href;

describe('registerIpcRouter', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let services: Services;
  const ipc = new FakeIpcMain();
  const events: { event: ApiEventName; payload: ApiEventMap[ApiEventName] }[] = [];
  const internalErrors: ApiMethodName[] = [];
  let unregister: () => void;

  beforeAll(async () => {
    temp = await makeTempDir('ipc-router');
    services = await createServices({ dataDir: temp.path });
    const handlers = createAppService(services, (event, payload) => events.push({ event, payload }));
    unregister = registerIpcRouter(ipc, handlers, {
      isTrustedSender: (url) => isAppPageUrl(url, indexHtml),
      onInternalError: (method) => internalErrors.push(method),
    });
  });

  afterAll(async () => {
    await services.close();
    await temp.remove();
  });

  it('registers one handler per contract method', () => {
    expect([...ipc.listeners.keys()].sort()).toEqual(API_METHODS.map(methodChannel).sort());
  });

  it('answers calls from the app page with ok results', async () => {
    expect(await ipc.invoke(appPage, 'listMeetings')).toEqual({ ok: true, value: [] });
    expect(await ipc.invoke(`${appPage}#/search`, 'listJobs')).toEqual({ ok: true, value: [] });
    const settings = await ipc.invoke(appPage, 'setSettings', { concurrency: 3, itn: false });
    expect(settings).toMatchObject({ ok: true, value: { concurrency: 3, itn: false } });
    expect(await ipc.invoke(appPage, 'getSettings')).toEqual(settings);
  });

  it('refuses calls from any other frame without running the handler', async () => {
    const before = await ipc.invoke(appPage, 'getSettings');
    for (const frame of [
      'https://evil.example/',
      pathToFileURL('/tmp/index.html').href,
      'about:blank',
      null,
    ]) {
      const result = await ipc.invoke(frame, 'setSettings', { concurrency: 7 });
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await ipc.invoke(appPage, 'getSettings')).toEqual(before);
  });

  it('returns invalid arguments as INVALID_ARGUMENT data, never as a thrown error', async () => {
    const cases: [ApiMethodName, unknown[]][] = [
      ['getMeeting', ['1']],
      ['getMeeting', [1, 'extra']],
      ['addFiles', [['relative.m4a']]],
      ['exportMeeting', [1, 'pdf']],
      ['listMeetings', [{ limit: 10, where: '1=1' }]],
      ['engineLogs', [0]],
      ['startEngine', [{ image: 'someone/else' }]],
    ];
    for (const [method, args] of cases) {
      const result = await ipc.invoke(appPage, method, ...args);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('INVALID_ARGUMENT');
        expect(result.error.message).not.toBe('');
      }
    }
  });

  it('passes service errors through with their code', async () => {
    expect(await ipc.invoke(appPage, 'getMeeting', 999)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await ipc.invoke(appPage, 'retryJob', 'no-such-job')).toMatchObject({ ok: false });
    expect(internalErrors).toEqual([]);
  });

  it('serves a stored meeting and forwards the events the handlers emit', async () => {
    const stored = services.meetings.create({
      title: 'Budget review',
      source: '/recordings/budget.m4a',
      durationMs: 4000,
      speakers: [{ label: 'Speaker 1' }],
      segments: [{ startMs: 0, endMs: 4000, text: '今天讨论项目预算', tokens: [], speakerIndex: 0 }],
    });
    const meeting = await ipc.invoke(appPage, 'getMeeting', stored.id);
    expect(meeting).toMatchObject({ ok: true, value: { id: stored.id, title: 'Budget review' } });

    expect(await ipc.invoke(appPage, 'renameMeeting', stored.id, '预算周会')).toEqual({
      ok: true,
      value: undefined,
    });
    expect(events).toContainEqual({ event: 'library:changed', payload: { meetingId: stored.id } });
    expect(await ipc.invoke(appPage, 'listMeetings', { limit: 10 })).toMatchObject({
      ok: true,
      value: [{ id: stored.id, title: '预算周会' }],
    });

    const exported = await ipc.invoke(appPage, 'exportMeeting', stored.id, 'txt');
    expect(exported).toMatchObject({ ok: true, value: { fileName: '预算周会.txt' } });
  });

  it('removes every handler again', () => {
    unregister();
    expect(ipc.listeners.size).toBe(0);
  });
});
