// `npm run bench`: every benchmark in one run, figures printed.
import { runAudioCopyBench } from './audio-copy.js';
import { runCaptionLatencyBench } from './caption-latency.js';
import { runEngineBench } from './engine.js';
import { runIngestBench } from './ingest.js';
import { runLibraryIntegrityBench } from './library-integrity.js';
import { runRecordingCpuBench } from './recording-cpu.js';
import { runRecordingMemoryBench } from './recording-memory.js';
import { runSearchBench } from './search.js';
import { runSearchTypedBench } from './search-typed.js';
import { runSoakBench } from './soak.js';
import { runPunctuationBench } from './speakers-punctuation.js';
import { runSpeakersBench } from './speakers.js';
import { runTranscriptOpenBench } from './transcript-open.js';

await runIngestBench();
await runAudioCopyBench();
await runSearchBench();
await runSearchTypedBench();
await runTranscriptOpenBench();
await runLibraryIntegrityBench();
await runEngineBench();
await runSpeakersBench();
await runPunctuationBench();
await runSoakBench();
await runRecordingMemoryBench();
await runRecordingCpuBench();
await runCaptionLatencyBench();
