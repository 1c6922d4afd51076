import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivateFile } from '../../../src/core/private-file.js';
import { UsageError } from '../../../src/errors.js';

describe('PrivateFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-private-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (file: PrivateFile, text: string) => {
    await file.handle.write(text);
  };

  it('appears under its name only when committed, 0600, and nothing else is left', async () => {
    const target = path.join(dir, 'out.json');
    const file = await PrivateFile.create(target);
    await write(file, '{"a":1}');
    expect(await readdir(dir)).toEqual([expect.stringMatching(/^\.out\.json\.[0-9a-f]{12}\.part$/)]);
    expect((await stat(path.join(dir, (await readdir(dir))[0]!))).mode & 0o777).toBe(0o600);
    await file.commit();
    expect(await readdir(dir)).toEqual(['out.json']);
    expect(await readFile(target, 'utf8')).toBe('{"a":1}');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });

  it('discard removes the temporary file', async () => {
    const file = await PrivateFile.create(path.join(dir, 'out.json'));
    await write(file, 'half');
    await file.discard();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses at commit a file that appeared at the name meanwhile, and leaves it as it is', async () => {
    const target = path.join(dir, 'out.json');
    const file = await PrivateFile.create(target);
    await write(file, 'mine');
    await writeFile(target, 'theirs');
    const error = await file.commit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'output-exists', exitCode: 2 });
    expect(await readFile(target, 'utf8')).toBe('theirs');
    expect(await readdir(dir)).toEqual(['out.json']);
  });

  it('with replace, refuses at commit a symbolic link that appeared at the name meanwhile', async () => {
    const target = path.join(dir, 'out.json');
    const victim = path.join(dir, 'victim');
    await writeFile(victim, 'precious');
    const file = await PrivateFile.create(target, { replace: true });
    await write(file, 'mine');
    await symlink(victim, target);
    await expect(file.commit()).rejects.toThrow(/symbolic link/);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await readdir(dir)).sort()).toEqual(['out.json', 'victim']);
  });

  it('refuses up front: an existing file without replace, a link, a directory, a missing directory', async () => {
    const existing = path.join(dir, 'existing');
    await writeFile(existing, 'x');
    await expect(PrivateFile.create(existing)).rejects.toMatchObject({ code: 'output-exists' });
    await symlink(existing, path.join(dir, 'link'));
    await expect(PrivateFile.create(path.join(dir, 'link'), { replace: true })).rejects.toThrow(/symbolic link/);
    await expect(PrivateFile.create(dir, { replace: true })).rejects.toThrow(/is a directory/);
    await expect(PrivateFile.create(path.join(dir, 'nope', 'out'))).rejects.toThrow(/does not exist/);
    expect((await readdir(dir)).sort()).toEqual(['existing', 'link']);
  });
});
