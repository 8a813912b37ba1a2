// A process that opens the library as the desktop app does (resuming jobs), waits until its queue is idle and exits:
// `node --import tsx resume-jobs-process.ts <data dir>`.
import { createServices } from '../../../src-main/services.js';

const services = await createServices({ dataDir: process.argv[2]!, resumeJobs: true });
await services.queue.whenIdle();
await services.close();
