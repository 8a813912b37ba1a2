// Runs child scripts of the store tests (plain JavaScript over the compiled code in out/main), all released at the
// same moment.
import { spawn } from 'node:child_process';

/** How a child run ended. */
export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `node <script> <args>` once per argument list; when every child has printed "ready", writes
 * "go" to each one's stdin. Resolves with every child's result once all have exited.
 */
export async function runTogether(script: string, argLists: readonly string[][]): Promise<ChildResult[]> {
  let ready = 0;
  const releaseAll = (): void => {
    for (const each of children) if (each.child.stdin.writable) each.child.stdin.end('go\n');
  };
  const children = argLists.map((args) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const result: ChildResult = { code: null, stdout: '', stderr: '' };
    const done = new Promise<ChildResult>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const wasReady = result.stdout.includes('ready\n');
        result.stdout += chunk.toString();
        if (!wasReady && result.stdout.includes('ready\n') && ++ready === argLists.length) releaseAll();
      });
      child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        // A child that died before it was ready must not keep the others waiting.
        releaseAll();
        resolve({ ...result, code });
      });
    });
    return { child, done };
  });
  return Promise.all(children.map((each) => each.done));
}
