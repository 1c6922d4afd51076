import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin', 'lethe.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (stdin is a pipe, never a terminal). */
  input?: string;
  /**
   * Run the built CLI in a process of its own: for what needs one (signals, SIGKILL, locks and
   * a second job across processes, the process's own exit). A crash point (LETHE_TEST_CRASH)
   * always spawns: it kills the process it runs in.
   */
  spawn?: boolean;
}

const baseEnv = (options: CliOptions): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NO_COLOR: '1',
  LETHE_OPERATOR: 'e2e',
  ...options.env,
});

/**
 * Runs lethe the way a cron job would (no terminal, NO_COLOR, the environment given): in this
 * process, through main() with in-memory streams, unless `spawn` asks for a process of its own.
 */
export function runLethe(args: string[], options: CliOptions = {}): Promise<CliRun> {
  if (options.spawn || options.env?.LETHE_TEST_CRASH) return startLethe(args, options).done;
  return runHere(args, options);
}

// One in-process run at a time in a test worker: each runs in its own working directory.
let queue: Promise<unknown> = Promise.resolve();

function runHere(args: string[], options: CliOptions): Promise<CliRun> {
  const run = queue.then(async () => {
    const { main } = await import('../../src/cli/main.js');
    const { testStreams } = await import('./streams.js');
    const streams = testStreams({ stdin: options.input ?? '' });
    const before = process.cwd();
    process.chdir(options.cwd ?? repoRoot);
    try {
      const code = await main(['node', 'lethe', ...args], streams, baseEnv(options));
      return { code, stdout: streams.stdoutText(), stderr: streams.stderrText() };
    } finally {
      process.chdir(before);
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Like runLethe, with the process at hand (to signal or kill it). */
export function startLethe(args: string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: baseEnv(options),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : 15) : null), stdout, stderr }));
  });
  child.stdin!.end(options.input ?? '');
  return { child, done };
}

/**
 * Runs the CLI inside a pseudo-terminal (util-linux `script`), so stdin and stderr are
 * terminals and lethe prompts; `answer` is typed once the prompt shows.
 */
export function runLetheInTerminal(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; prompt: RegExp; answer: string },
): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', quoted, '/dev/null'], {
      cwd: options.cwd ?? repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', TERM: 'dumb', LETHE_OPERATOR: 'e2e', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let answered = false;
    const onData = (d: Buffer) => {
      screen += d.toString();
      if (!answered && options.prompt.test(screen)) {
        answered = true;
        child.stdin.write(options.answer);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}
