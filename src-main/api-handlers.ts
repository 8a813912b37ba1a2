// The contract's methods implemented on the services; Electron IPC and the browser test bridge both call these.
import type { ApiEventMap, ApiEventName, ApiHandlers, EngineHealthReport } from '../src-shared/contract.js';
import type { Meeting, SpeakerSummary } from '../src-shared/types.js';
import type { EngineStatus } from '../src-shared/engine-types.js';
import { exportFileName, exportMeeting } from './export/index.js';
import type { Services } from './services.js';
import { deleteMeetingAndFiles } from './store/meeting-removal.js';
import { FunscribeError } from './util/errors.js';

/** Sends one event to whoever listens (the renderer, a test). */
export type EmitEvent = <E extends ApiEventName>(event: E, payload: ApiEventMap[E]) => void;

/** Builds the handlers; job updates, finished meetings and engine status are forwarded through `emit`. */
export function createApiHandlers(services: Services, emit: EmitEvent): ApiHandlers {
  const { meetings, queue, settings, engine } = services;
  engine.onStatus((status) => emit('engine:status', status));
  let starting: Promise<EngineStatus> | null = null;
  /** Starts the engine once for every caller in the meantime, so its progress is emitted once. */
  const startEngine = (): Promise<EngineStatus> => {
    starting ??= engine
      .ensureRunning({ onProgress: (progress) => emit('engine:progress', progress) })
      .then(() => engine.status())
      .finally(() => (starting = null));
    return starting;
  };
  services.queue.onUpdate((job) => {
    emit('job:update', job);
    if (job.status === 'done' && job.meetingId !== null)
      emit('library:changed', { meetingId: job.meetingId });
  });
  const requireMeeting = (id: number): Meeting => {
    const meeting = meetings.get(id);
    if (!meeting)
      throw new FunscribeError('NOT_FOUND', `There is no meeting with id ${id}; it may have been deleted.`);
    return meeting;
  };
  const { speakerEdits } = services;
  /** Runs a speaker edit of one meeting and tells the renderer that the meeting changed. */
  const editSpeakers = (meetingId: number, edit: () => SpeakerSummary[]): SpeakerSummary[] => {
    requireMeeting(meetingId);
    const speakers = edit();
    emit('library:changed', { meetingId });
    return speakers;
  };
  return {
    listMeetings: async (request) => meetings.list(request),
    getMeeting: async (id) => requireMeeting(id),
    renameMeeting: async (id, title) => {
      requireMeeting(id);
      meetings.rename(id, title);
      emit('library:changed', { meetingId: id });
    },
    deleteMeeting: async (id) => {
      requireMeeting(id);
      await deleteMeetingAndFiles(meetings, services.dataDir, id);
      emit('library:changed', { meetingId: id });
    },
    search: async (request) => services.search.search(request),
    exportMeeting: async (id, format) => {
      const meeting = requireMeeting(id);
      return { fileName: exportFileName(meeting, format), content: exportMeeting(meeting, format) };
    },
    addFiles: async (paths) => {
      const current = settings.get();
      const jobSettings = {
        serverUrl: null,
        hotwords: current.hotwords,
        itn: current.itn,
        allowSelfSignedTls: current.allowSelfSignedTls,
        speakers: current.speakers,
      };
      return paths.map((path) => queue.enqueue(path, jobSettings));
    },
    listJobs: async () => queue.list(),
    cancelJob: async (id) => {
      queue.cancel(id);
    },
    retryJob: async (id) => queue.retry(id),
    getSettings: async () => settings.get(),
    setSettings: async (patch) => services.updateSettings(patch),
    engineStatus: () => engine.status(),
    startEngine,
    stopEngine: async () => {
      await engine.stop();
      return engine.status();
    },
    engineLogs: (tail) => engine.logs(tail),
    checkEngines: async () =>
      (await services.pool.checkAll()).map(
        ({ engineId, url, ok, latencyMs, server, error, checkedAt }): EngineHealthReport => ({
          engineId,
          url,
          ok,
          latencyMs,
          server,
          error,
          checkedAt,
        }),
      ),
    listSpeakers: async (meetingId) => {
      requireMeeting(meetingId);
      return speakerEdits.listSpeakers(meetingId);
    },
    relabelSpeakers: async (meetingId, count) =>
      editSpeakers(meetingId, () => speakerEdits.relabel(meetingId, count ?? undefined)),
    renameSpeaker: async (meetingId, speakerId, name, rememberVoice) =>
      editSpeakers(meetingId, () => speakerEdits.rename(meetingId, speakerId, name, { rememberVoice })),
    mergeSpeakers: async (meetingId, from, into) =>
      editSpeakers(meetingId, () => speakerEdits.merge(meetingId, from, into)),
    moveSegment: async (meetingId, segmentId, to) =>
      editSpeakers(meetingId, () => {
        if (!requireMeeting(meetingId).segments.some((segment) => segment.id === segmentId)) {
          throw new FunscribeError('NOT_FOUND', `Meeting ${meetingId} has no sentence with id ${segmentId}.`);
        }
        return speakerEdits.moveSegment(segmentId, to);
      }),
    listVoiceprints: async () => speakerEdits.listVoiceprints(),
    forgetVoiceprint: async (voiceprintId) => speakerEdits.forgetVoiceprint(voiceprintId),
  };
}
