import { describe, expect, it } from 'vitest';
import { retryOnConflict } from '../../../src/core/conflict-retry.js';
import { isTransientConflict } from '../../../src/db/conflicts.js';
import { InterruptedError } from '../../../src/errors.js';

const conflict = (code: string) => Object.assign(new Error('conflict'), { code });

describe('retryOnConflict', () => {
  it('runs the transaction again after a conflict, and says which attempt succeeded', async () => {
    const attempts: number[] = [];
    let calls = 0;
    const value = await retryOnConflict(
      (n) => attempts.push(n),
      undefined,
      async () => {
        calls += 1;
        if (calls < 3) throw conflict(calls === 1 ? 'SQLITE_BUSY' : '40P01');
        return 'done';
      },
    );
    expect(value).toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up after three conflicts, with the last one', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(
        () => {},
        undefined,
        async () => {
          calls += 1;
          throw conflict('ER_LOCK_DEADLOCK');
        },
      ),
    ).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(calls).toBe(3);
  });

  it('never runs again after another failure, nor after an interrupt', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(
        () => {},
        undefined,
        async () => {
          calls += 1;
          throw conflict('SQLITE_CONSTRAINT');
        },
      ),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    expect(calls).toBe(1);
    await expect(
      retryOnConflict(
        () => {},
        AbortSignal.abort(),
        async () => Promise.reject(conflict('SQLITE_BUSY')),
      ),
    ).rejects.toBeInstanceOf(InterruptedError);
  });

  it('knows the conflicts of the three databases, and nothing else', () => {
    for (const code of ['SQLITE_BUSY', '40P01', '40001', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']) expect(isTransientConflict(conflict(code))).toBe(true);
    for (const code of ['SQLITE_CONSTRAINT', '23505', 'ER_DUP_ENTRY', 'ECONNREFUSED']) expect(isTransientConflict(conflict(code))).toBe(false);
    expect(isTransientConflict(new Error('no code'))).toBe(false);
  });
});
