import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Streams } from '../../src/cli/terminal/terminal.js';

/**
 * In-memory stdin, stdout and stderr for running a command in-process (gh's
 * iostreams.Test()): none is a terminal unless asked, and what was written is at hand.
 */
export interface TestStreams extends Streams {
  stdoutText(): string;
  stderrText(): string;
}

export function testStreams(options: { stdin?: string; tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean } } = {}): TestStreams {
  const collect = (tty: boolean) => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    return { stream: Object.assign(stream, { isTTY: tty }) as unknown as NodeJS.WriteStream, text: () => text };
  };
  const stdout = collect(Boolean(options.tty?.stdout));
  const stderr = collect(Boolean(options.tty?.stderr));
  const stdin = Object.assign(Readable.from([options.stdin ?? '']), { isTTY: Boolean(options.tty?.stdin) }) as unknown as NodeJS.ReadStream;
  return { stdout: stdout.stream, stderr: stderr.stream, stdin, stdoutText: stdout.text, stderrText: stderr.text };
}

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `lethe <args>` in this process, as a cron job would: no terminal, NO_COLOR. */
export async function runMain(args: string[], options: { env?: NodeJS.ProcessEnv; streams?: TestStreams } = {}): Promise<InProcessRun> {
  const streams = options.streams ?? testStreams();
  const code = await main(['node', 'lethe', ...args], streams, { NO_COLOR: '1', LETHE_OPERATOR: 'test', ...options.env });
  return { code, stdout: streams.stdoutText(), stderr: streams.stderrText() };
}
