// CLI of the stand-in FunASR server: `npx tsx test/funasr-sim/main.ts [real binary flags] [--protocol 2pass]
// [--language en] [--fault <name>]… [--slow-reply-ms N]`. Prints the real startup log on stderr (simulating the
// model download when --download-model-dir is writable; env FUNASR_SIM_DOWNLOAD_MS / _FAIL), binds the port, loads
// the models (env FUNASR_SIM_LOAD_MS), then serves.
import { FlagError, formatFlagError, parseServerFlags, type ServerFlags } from './cli-flags.js';
import { makeLogger, stderrSink } from './glog.js';
import { downloadSettings, MISSING_MODEL_EXIT, prepareModels } from './model-download.js';
import { loadDelayMs, loadModels } from './model-load.js';
import { startSimServer } from './server.js';
import { flagLines } from './startup-lines.js';

function parseOrExit(args: string[]): ServerFlags {
  try {
    return parseServerFlags(args);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    const binary =
      args[args.indexOf('--protocol') + 1] === '2pass' ? 'funasr-wss-server-2pass' : 'funasr-wss-server';
    process.stderr.write(formatFlagError(error, binary));
    process.exit(1);
  }
}

const flags = parseOrExit(process.argv.slice(2));
const source = flags.protocol === 'offline' ? 'funasr-wss-server.cpp:24' : 'funasr-wss-server-2pass.cpp:25';
const log = makeLogger();
for (const line of flagLines(flags)) log('I', source, line);
const value = (name: string): string => flags.values.get(name) ?? '';
if (!(await prepareModels(flags, { ...downloadSettings(), sink: stderrSink, source })))
  process.exit(MISSING_MODEL_EXIT);

const server = await startSimServer({
  protocol: flags.protocol,
  host: value('listen-ip'),
  port: Number(value('port')),
  language: flags.language,
  modelDir: value('model-dir'),
  certfile: value('certfile'),
  keyfile: value('keyfile'),
  hotwordFile: value('hotword'),
  faults: flags.faults,
  slowReplyMs: flags.slowReplyMs,
  loadModels: () => loadModels(flags, log, loadDelayMs()),
  threads: {
    decoder: Number(value('decoder-thread-num')),
    io: Number(value('io-thread-num')),
    model: Number(value('model-thread-num')),
  },
}).catch((error: unknown) => {
  log('E', source, `Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
