// glog-style log lines, as the FunASR C++ servers print them on stderr.

/** glog severity letters used by the stand-in server. */
export type Severity = 'I' | 'W' | 'E';

/** Writes one already formatted line somewhere (stderr by default). */
export type LineSink = (line: string) => void;

/** Logs one message with a severity and a `file.cpp:line` source tag. */
export type SimLogger = (severity: Severity, source: string, text: string) => void;

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** Formats one glog line, e.g. `I20261123 19:01:50.732967   107 websocket-server.cpp:123] text`. */
export function glogLine(severity: Severity, source: string, text: string): string {
  const epochMicros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const now = new Date(Math.floor(epochMicros / 1000));
  const micros = epochMicros % 1_000_000;
  const date = `${now.getFullYear()}${pad(now.getMonth() + 1, 2)}${pad(now.getDate(), 2)}`;
  const time = `${pad(now.getHours(), 2)}:${pad(now.getMinutes(), 2)}:${pad(now.getSeconds(), 2)}.${pad(micros, 6)}`;
  return `${severity}${date} ${time} ${String(process.pid).padStart(5, ' ')} ${source}] ${text}`;
}

/** The default sink: one line on stderr. */
export const stderrSink: LineSink = (line) => {
  process.stderr.write(`${line}\n`);
};

/** Builds a logger that formats glog lines and hands them to `sink`. */
export function makeLogger(sink: LineSink = stderrSink): SimLogger {
  return (severity, source, text) => sink(glogLine(severity, source, text));
}
