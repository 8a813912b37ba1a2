// Types of the FunASR engine layer: the image catalog, engine state and status, progress. Types only.
import type { ErrorInfo } from './types.js';

/** The four FunASR runtime images FunScribe knows. */
export type EngineKind = 'offline-cpu' | 'offline-gpu' | 'online-cpu' | 'en-cpu';

/** The websocket protocol an image's server speaks. */
export type EngineProtocol = 'offline' | '2pass';

/** One model an image's server loads (and downloads from ModelScope on first start). */
export interface CatalogModel {
  role: 'asr' | 'online-asr' | 'vad' | 'punc' | 'itn' | 'lm';
  /** The ModelScope id passed to the server, e.g. `iic/speech_fsmn_vad_zh-cn-16k-common-onnx`. */
  id: string;
  /** The server's flag for it, e.g. `--vad-dir`. */
  flag: string;
  /** The ModelScope revision to fetch, e.g. `v2.0.5`, and the binary's flag for it, e.g. `--vad-revision`. */
  revision: string;
  revisionFlag: string;
  /** Rough download size in bytes, for the UI before the download starts. */
  approxBytes: number;
}

/** An entry of the image catalog. */
export interface CatalogImage {
  kind: EngineKind;
  title: string;
  /** The default image reference, overridable in settings and by environment. */
  reference: string;
  protocol: EngineProtocol;
  gpu: boolean;
  /** Absolute path of the server binary inside the image. */
  serverBinary: string;
  models: CatalogModel[];
  /** Rough compressed image size in bytes. */
  approxImageBytes: number;
  features: { timestamps: boolean; hotwords: boolean; itn: boolean; liveCaptions: boolean };
}

/** Where the managed engine is in its life. */
export type EngineState =
  | 'no-docker'
  | 'absent'
  | 'pulling'
  | 'starting'
  | 'downloading-models'
  | 'exporting-models'
  | 'loading'
  | 'ready'
  | 'stopping'
  | 'stopped'
  | 'failed';

/** What `funscribe engine status --json` reports about Docker itself. */
export interface DockerStatus {
  available: boolean;
  version: string | null;
  apiVersion: string | null;
  memoryBytes: number | null;
  /** Why Docker cannot be used, in words a user can act on. */
  problem: ErrorInfo | null;
  /** Non-fatal advice, e.g. too little memory for the models. */
  warnings: DockerWarning[];
}

/** Non-fatal advice about Docker: its code and params for the renderer's words, its English message for the CLI. */
export interface DockerWarning {
  /** 'low-memory': Docker may use only {gib} GiB, the models need about {neededGib} GiB. */
  code: 'low-memory';
  message: string;
  params: Readonly<Record<string, string | number>>;
}

/** The managed engine's status as the UI and `funscribe engine status --json` see it. */
export interface EngineStatus {
  docker: DockerStatus;
  image: string | null;
  container: { id: string; name: string } | null;
  state: EngineState;
  port: number | null;
  /** `ws://127.0.0.1:<port>` when ready. */
  endpoint: string | null;
  gpu: boolean;
  /** The last fatal problem with the last log lines, when state is 'failed'. */
  error: ErrorInfo | null;
}

/**
 * The live-caption engine's status, and whether the main engine serves the captions instead: a main engine running
 * the 2pass kind serves files (mode offline) and live captions alike, so no caption container is started beside it.
 */
export interface CaptionEngineStatus extends EngineStatus {
  /** The main engine's ws:// endpoint when it runs a 2pass kind and is ready (it serves the captions), else null. */
  servedByMain: string | null;
}

/** Progress of a long engine operation (pull, model download, loading). */
export interface EngineProgress {
  phase: 'pull' | 'download-model' | 'export-model' | 'load' | 'ready';
  /** What is being worked on: an image layer summary or a model id. */
  subject: string | null;
  /** Bytes done and total when known. */
  doneBytes: number | null;
  totalBytes: number | null;
  /** A one-line description in English (the command line prints it). */
  message: string;
  /** What is happening, for the renderer to word in the interface language with `params`. */
  step: EngineProgressStep;
  /** The values the step's words name (model, file, layers, minutes). */
  params: Readonly<Record<string, string | number>>;
}

/**
 * The steps a progress can report: the image's layers downloading or extracting ({image, done, layers}), a model
 * downloading ({model}), a model converted on the first start ({model, file, minutes}), a model file loading ({file}),
 * and ready.
 */
export type EngineProgressStep =
  'pull-download' | 'pull-extract' | 'model-download' | 'model-export' | 'load' | 'ready';

/** One download of a start: the image or a model, its size, and whether it is already on this machine. */
export interface PlannedDownload {
  /** The image reference or the model id. */
  name: string;
  /** Compressed bytes: from the registry's manifest, or the catalog's rough figure when `estimate`. */
  bytes: number;
  estimate: boolean;
  /** Already downloaded (the image is in Docker, the model in the models volume): nothing to fetch. */
  present: boolean;
}

/** What starting the managed engine will download, known before it starts. */
export interface EngineDownloadPlan {
  kind: EngineKind;
  /** The engine's title, e.g. "Chinese file transcription (CPU)". */
  title: string;
  image: PlannedDownload;
  models: (PlannedDownload & { role: CatalogModel['role'] })[];
  /** Bytes still to download (what is not present). */
  totalBytes: number;
  /** Whether any figure in the total is an estimate. */
  estimate: boolean;
}
