import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { text } from 'node:stream/consumers';
import { UsageError } from '../errors.js';

/** What commands read besides their options: standard input, whole or a line at a time, or a list named FILE or -. */

/** All of standard input, as UTF-8 text. */
export function readStandardInput(stdin: NodeJS.ReadableStream): Promise<string> {
  return text(stdin);
}

/** Standard input a line at a time, as it arrives, without the line ends (\n or \r\n). */
export async function* standardInputLines(stdin: NodeJS.ReadableStream): AsyncGenerator<string> {
  yield* createInterface({ input: stdin, crlfDelay: Infinity });
}

/** The text of a list given as `--flag FILE`, or standard input for `-`. */
export async function readListOption(flag: string, source: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (source === '-') return readStandardInput(stdin);
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${flag} ${source} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}
