import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fs from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseTargets } from '../support/databases.js';
import { useDemoWorkspace } from '../support/demo-workspace.js';
import { runMain } from '../support/streams.js';

const sqlite = databaseTargets.find((t) => t.client === 'sqlite')!;
const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

/** What export --out and audit export --out promise: no overwrite without --force, never through a link, whole or nothing, 0600. */
describe('output files of export and audit export', () => {
  const current = useDemoWorkspace(sqlite, 10);
  const lethe = (...args: string[]) => runMain(['--config', current.demo.config, ...args]);
  const leftovers = async (dir: string) => (await readdir(dir)).filter((name) => name.includes('.part') || name.endsWith('.old'));

  describe('export --out FILE', () => {
    it('refuses an existing file (exit 2, code output-exists) and leaves it as it was', async () => {
      const file = path.join(current.demo.dir, 'taken.json');
      await writeFile(file, 'keep me', { mode: 0o644 });
      const run = await lethe('export', 'jane.doe@example.com', '--out', file);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^error: .*taken\.json already exists/m);
      expect(run.stderr).toMatch(/--force/);
      const json = await lethe('--json', 'export', 'jane.doe@example.com', '--out', file);
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).error.code).toBe('output-exists');
      expect(await readFile(file, 'utf8')).toBe('keep me');
      expect(await modeOf(file)).toBe(0o644);
      expect(await leftovers(current.demo.dir)).toEqual([]);
    });

    it('--force replaces it with a new 0600 file', async () => {
      const file = path.join(current.demo.dir, 'replaced.json');
      await writeFile(file, 'old', { mode: 0o644 });
      const run = await lethe('export', 'jane.doe@example.com', '--out', file, '--force');
      expect(run.code).toBe(0);
      expect(JSON.parse(await readFile(file, 'utf8')).subject.key).toBe(1);
      expect(await modeOf(file)).toBe(0o600);
      expect(await leftovers(current.demo.dir)).toEqual([]);
    });

    it('refuses a symbolic link, even with --force, and even one that points nowhere', async () => {
      const victim = path.join(current.demo.dir, 'victim.txt');
      await writeFile(victim, 'precious');
      const link = path.join(current.demo.dir, 'link.json');
      await symlink(victim, link);
      const dangling = path.join(current.demo.dir, 'dangling.json');
      await symlink(path.join(current.demo.dir, 'would-be-created.json'), dangling);
      for (const out of [link, dangling]) {
        for (const extra of [[], ['--force']]) {
          const run = await lethe('--json', 'export', 'jane.doe@example.com', '--out', out, ...extra);
          expect(run.code).toBe(2);
          expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'usage', message: expect.stringContaining('is a symbolic link') });
        }
      }
      expect(await readFile(victim, 'utf8')).toBe('precious');
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
      expect(await readlink(dangling)).toBe(path.join(current.demo.dir, 'would-be-created.json'));
      expect((await readdir(current.demo.dir)).includes('would-be-created.json')).toBe(false);
    });
  });

  describe('export --format csv --out DIR', () => {
    it('refuses an earlier export without --force, replaces it whole with --force (0700, 0600 files, nothing left over)', async () => {
      const dir = path.join(current.demo.dir, 'csv-export');
      expect((await lethe('export', 'jane.doe@example.com', '--format', 'csv', '--out', dir)).code).toBe(0);
      const first = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')).requestId as string;

      const again = await lethe('--json', 'export', 'jane.doe@example.com', '--format', 'csv', '--out', dir);
      expect(again.code).toBe(2);
      expect(JSON.parse(again.stdout).error.code).toBe('output-exists');
      expect(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')).requestId).toBe(first);

      const forced = await lethe('export', 'jane.doe@example.com', '--format', 'csv', '--out', dir, '--force');
      expect(forced.code).toBe(0);
      expect(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')).requestId).not.toBe(first);
      expect(await modeOf(dir)).toBe(0o700);
      for (const name of await readdir(dir)) expect(await modeOf(path.join(dir, name))).toBe(0o600);
      expect(await leftovers(current.demo.dir)).toEqual([]);
    });

    it('takes an empty directory as a new one', async () => {
      const dir = path.join(current.demo.dir, 'empty');
      await mkdir(dir, { mode: 0o755 });
      expect((await lethe('export', 'jane.doe@example.com', '--format', 'csv', '--out', dir)).code).toBe(0);
      expect(await readdir(dir)).toContain('manifest.json');
      expect(await modeOf(dir)).toBe(0o700);
      expect(await leftovers(current.demo.dir)).toEqual([]);
    });

    it('never replaces a directory that is not an earlier export, nor writes through a link to one', async () => {
      const other = path.join(current.demo.dir, 'documents');
      await mkdir(other);
      await writeFile(path.join(other, 'thesis.txt'), 'years of work');
      const link = path.join(current.demo.dir, 'documents-link');
      await symlink(other, link);
      for (const out of [other, link]) {
        const run = await lethe('export', 'jane.doe@example.com', '--format', 'csv', '--out', out, '--force');
        expect(run.code).toBe(2);
      }
      expect(await readdir(other)).toEqual(['thesis.txt']);
      expect(await readFile(path.join(other, 'thesis.txt'), 'utf8')).toBe('years of work');
      expect(await leftovers(current.demo.dir)).toEqual([]);
    });
  });

  describe('audit export --out FILE', () => {
    it('refuses an existing file, replaces it with --force (0600), and never writes through a link', async () => {
      const file = path.join(current.demo.dir, 'audit.csv');
      await writeFile(file, 'old trail');
      await chmod(file, 0o644);
      const refused = await lethe('--json', 'audit', 'export', '--out', file);
      expect(refused.code).toBe(2);
      expect(JSON.parse(refused.stdout).error.code).toBe('output-exists');
      expect(await readFile(file, 'utf8')).toBe('old trail');

      const forced = await lethe('audit', 'export', '--out', file, '--force');
      expect(forced.code).toBe(0);
      expect((await readFile(file, 'utf8')).split('\r\n')[0]).toMatch(/^id,at,operator,/);
      expect(await modeOf(file)).toBe(0o600);

      const victim = path.join(current.demo.dir, 'victim.csv');
      await writeFile(victim, 'precious');
      const link = path.join(current.demo.dir, 'audit-link.csv');
      await symlink(victim, link);
      const run = await lethe('audit', 'export', '--out', link, '--force');
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/is a symbolic link/);
      expect(await readFile(victim, 'utf8')).toBe('precious');
      expect(await leftovers(current.demo.dir)).toEqual([]);
    });
  });

  /**
   * A disk that fills up while the file is written: the first `room` bytes are taken (a
   * write may take fewer bytes than it was given, as on a nearly full disk), then every
   * write fails with ENOSPC. Both ways lethe writes files are covered: FileHandle (a JSON
   * export, the audit export) and fs.write under a WriteStream (CSV).
   */
  describe('a full disk', () => {
    const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    afterEach(() => vi.restoreAllMocks());

    async function fileHandlePrototype(): Promise<FileHandle> {
      const probe = path.join(current.demo.dir, 'probe');
      const handle = await open(probe, 'w');
      await handle.close();
      await rm(probe);
      return Object.getPrototypeOf(handle) as FileHandle;
    }

    async function fillDiskAfter(room: number): Promise<void> {
      const proto = await fileHandlePrototype();
      const write = proto.write;
      vi.spyOn(proto, 'write').mockImplementation(async function (this: FileHandle, buffer: Buffer, offset = 0, length?: number) {
        if (room <= 0) throw enospc();
        const taken = Math.min(room, 4096, length ?? buffer.length - offset);
        room -= taken;
        return (write as (b: Buffer, o: number, l: number) => Promise<{ bytesWritten: number; buffer: Buffer }>).call(this, buffer, offset, taken);
      } as typeof proto.write);
      const fsWrite = fs.write;
      vi.spyOn(fs, 'write').mockImplementation(((
        fd: number,
        buffer: Buffer,
        offset: number,
        length: number,
        position: number | null,
        done: (error: Error | null, written?: number, buffer?: Buffer) => void,
      ) => {
        if (room <= 0) return process.nextTick(done, enospc());
        const taken = Math.min(room, length);
        room -= taken;
        return fsWrite(fd, buffer, offset, taken, position, done);
      }) as unknown as typeof fs.write);
    }

    /** Neither the file asked for nor a temporary one is left. */
    async function expectNothingKept(name: string): Promise<void> {
      expect(await readdir(current.demo.dir)).not.toContain(name);
      expect(await leftovers(current.demo.dir)).toEqual([]);
    }

    async function lastExportEntry(): Promise<{ outcome: string; detail: Record<string, unknown> }> {
      vi.restoreAllMocks();
      const list = await lethe('--json', 'audit', 'list', '--command', 'export');
      expect(list.code).toBe(0);
      const entries = JSON.parse(list.stdout) as { id: number; outcome: string; detail: Record<string, unknown> }[];
      return entries.sort((a, b) => b.id - a.id)[0]!;
    }

    it('a JSON export exits 1 naming the file and the cause, keeps nothing, and is audited as failed', async () => {
      const file = path.join(current.demo.dir, 'full.json');
      await fillDiskAfter(6000);
      const run = await lethe('export', 'jane.doe@example.com', '--out', file);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Could not write ${file}: no space left on the device (ENOSPC)`);
      expect(run.stderr).not.toMatch(/unexpectedly|Exported/);
      await expectNothingKept('full.json');
      expect(await lastExportEntry()).toMatchObject({ outcome: 'failed', detail: { errorCode: 'ENOSPC' } });
    });

    it('a CSV export does the same, under --json too', async () => {
      const dir = path.join(current.demo.dir, 'full-csv');
      await fillDiskAfter(300);
      const run = await lethe('--json', 'export', 'jane.doe@example.com', '--format', 'csv', '--out', dir);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).error).toMatchObject({
        code: 'failed',
        message: expect.stringContaining(`Could not write ${dir}: no space left on the device (ENOSPC)`),
      });
      await expectNothingKept('full-csv');
      expect(await lastExportEntry()).toMatchObject({ outcome: 'failed', detail: { errorCode: 'ENOSPC' } });
    });

    it('an audit export exits 1 and keeps nothing', async () => {
      const file = path.join(current.demo.dir, 'full-audit.csv');
      await fillDiskAfter(200);
      const run = await lethe('audit', 'export', '--out', file);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Could not write ${file}: no space left on the device (ENOSPC)`);
      await expectNothingKept('full-audit.csv');
    });
  });
});
