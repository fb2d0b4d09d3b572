import type { Buffer } from 'node:buffer';
import { Observable } from 'rxjs';
import { boundedOutput } from './bounded-output.js';
import { spawnGroup, stopGroup } from './process-group.js';

/** A piece of a running command's output, reported as it arrives. */
export interface ProcessChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** How a command ended, and what it printed (stdout and stderr interleaved, as on a terminal). */
export interface ProcessOutput {
  /** The exit code, or null when a signal ended the command. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly output: string;
  /** Whether output was cut to the limit (the middle was dropped and marked). */
  readonly truncated: boolean;
  readonly outputBytes: number;
}

/** How {@link runProcess} runs a command. */
export interface RunProcessOptions {
  readonly cwd?: string;
  /** The command's whole environment. */
  readonly env: NodeJS.ProcessEnv;
  /** Bytes of output kept for the result, and reported as progress. */
  readonly maxOutputBytes: number;
  /** Time between SIGTERM and SIGKILL when the command is stopped. */
  readonly killGraceMs: number;
  /** Receives output as it arrives, until `maxOutputBytes` have been reported. */
  readonly onChunk?: (chunk: ProcessChunk) => void;
}

/**
 * Runs a command in its own process group as a cold Observable of its
 * {@link ProcessOutput}. Unsubscribing before it ends stops the whole group
 * (SIGTERM, then SIGKILL); so does the leader's exit, for anything it left running.
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Observable<ProcessOutput> {
  return new Observable<ProcessOutput>((subscriber) => {
    const child = spawnGroup(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const kept = boundedOutput(options.maxOutputBytes);
    let reported = 0;
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    const read = (stream: ProcessChunk['stream']) => (chunk: Buffer) => {
      kept.write(chunk);
      if (!options.onChunk || reported >= options.maxOutputBytes) return;
      const part = chunk.subarray(0, options.maxOutputBytes - reported);
      reported += part.length;
      options.onChunk({ stream, text: decoders[stream].decode(part, { stream: true }) });
    };
    child.stdout!.on('data', read('stdout'));
    child.stderr!.on('data', read('stderr'));
    let exited = false;
    child.once('error', (error) => {
      exited = true;
      subscriber.error(error);
    });
    // The leader's exit ends the command; anything it left in the background goes too,
    // which also closes the pipes they held so 'close' can come.
    child.once('exit', () => {
      exited = true;
      stopGroup(child.pid!, options.killGraceMs);
    });
    child.once('close', (exitCode, signal) => {
      const { text, truncated, totalBytes } = kept.result();
      subscriber.next({ exitCode, signal, output: text, truncated, outputBytes: totalBytes });
      subscriber.complete();
    });
    return () => {
      child.stdout!.destroy();
      child.stderr!.destroy();
      if (!exited && child.pid !== undefined) stopGroup(child.pid, options.killGraceMs);
    };
  });
}
