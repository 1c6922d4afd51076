import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Terminal } from '../../src/cli/terminal/terminal.js';
import { testStreams } from '../support/streams.js';

const terminal = (json: boolean, stderrIsTerminal = false) => {
  const streams = testStreams({ tty: { stderr: stderrIsTerminal } });
  return { streams, terminal: new Terminal({ json, quiet: false, color: false, input: false, debug: false }, streams, { NO_COLOR: '1' }) };
};

describe('Terminal under --json', () => {
  it('keeps stderr empty where no person watches: messages are dropped, warnings join the document', () => {
    const { streams, terminal: t } = terminal(true);
    t.info('Plan: 12 rows');
    t.warn('tables.users: something to know');
    t.json({ ok: true });
    expect(streams.stderrText()).toBe('');
    expect(JSON.parse(streams.stdoutText())).toEqual({ ok: true, warnings: ['tables.users: something to know'] });
  });

  it('writes to stderr the warnings no document took', () => {
    const { streams, terminal: t } = terminal(true);
    t.warn('left over');
    t.json([1, 2]);
    expect(JSON.parse(streams.stdoutText())).toEqual([1, 2]);
    t.flushWarnings();
    expect(streams.stderrText()).toBe('warning: left over\n');
  });

  it('still talks to a person at a terminal, and the document still carries the warnings', () => {
    const { streams, terminal: t } = terminal(true, true);
    t.info('Plan: 12 rows');
    t.warn('careful');
    t.json({ ok: true });
    t.flushWarnings();
    expect(streams.stderrText()).toBe('Plan: 12 rows\nwarning: careful\n');
    expect(JSON.parse(streams.stdoutText())).toEqual({ ok: true, warnings: ['careful'] });
  });

  it('without --json, messages and warnings go to stderr as before', () => {
    const { streams, terminal: t } = terminal(false);
    t.info('Plan');
    t.warn('careful');
    t.flushWarnings();
    expect(streams.stderrText()).toBe('Plan\nwarning: careful\n');
  });
});

describe('colour, decided per stream', () => {
  const ESCAPE = '\u001b[';

  it('paints what a terminal shows and writes plain text to a file or a pipe (`lethe detect > out.txt` at a terminal)', async () => {
    const streams = testStreams({ stdin: 'mail jane@example.org', tty: { stderr: true, stdout: false } });
    const code = await main(['node', 'lethe', 'detect'], streams, { LETHE_OPERATOR: 'test' });
    expect(code).toBe(0);
    expect(streams.stdoutText()).toContain('jane@example.org');
    expect(streams.stdoutText()).not.toContain(ESCAPE);
    expect(streams.stderrText()).toContain('1 span');
  });

  it('paints the results when stdout is the terminal, and keeps the messages on a redirected stderr plain', async () => {
    const streams = testStreams({ stdin: 'mail jane@example.org', tty: { stderr: false, stdout: true } });
    expect(await main(['node', 'lethe', 'detect'], streams, { LETHE_OPERATOR: 'test' })).toBe(0);
    expect(streams.stdoutText()).toContain(ESCAPE);
    expect(streams.stderrText()).not.toContain(ESCAPE);
  });

  it('paints nothing under NO_COLOR or --no-color', async () => {
    for (const [args, env] of [
      [['detect'], { NO_COLOR: '1' }],
      [['--no-color', 'detect'], {}],
    ] as const) {
      const streams = testStreams({ stdin: 'mail jane@example.org', tty: { stderr: true, stdout: true } });
      expect(await main(['node', 'lethe', ...args], streams, { LETHE_OPERATOR: 'test', ...env })).toBe(0);
      expect(streams.stdoutText() + streams.stderrText()).not.toContain(ESCAPE);
    }
  });
});
