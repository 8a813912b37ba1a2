// Runs the real `funscribe` command (bin/funscribe.js over the compiled CLI) as a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/funscribe.js', import.meta.url));

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `funscribe <args>` with `--data-dir` and resolves when it exits. */
export function runCli(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI with --json and parses stdout; fails with both streams when stdout is not JSON. */
export async function runCliJson<T>(
  dataDir: string,
  args: string[],
): Promise<{ code: number | null; json: T; stderr: string }> {
  const result = await runCli(dataDir, [...args, '--json']);
  try {
    return { code: result.code, json: JSON.parse(result.stdout) as T, stderr: result.stderr };
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}

/** The parts of `transcribe --json`'s document that the timing tests read. */
export interface TranscribeJson {
  meetings: {
    durationMs: number;
    speakers: { id: number; label: string; name: string | null }[];
    segments: {
      startMs: number;
      endMs: number;
      text: string;
      speakerId: number | null;
      tokens: { startMs: number; endMs: number }[];
    }[];
  }[];
  errors: { file: string; code: string; message: string }[];
}
