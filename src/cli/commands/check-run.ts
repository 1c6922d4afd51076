import { z } from 'zod';
import { checkDataMap, type CheckReport } from '../../core/check.js';
import type { ConfigProblem } from '../../errors.js';
import { ExitCode, LetheError } from '../../errors.js';
import { configPathOf, terminalFor, type CliContext, type GlobalOptions } from '../context.js';
import { parseOptions } from '../parse-options.js';

const checkOptions = z.object({ strict: z.boolean().default(false) });

/** `lethe check`, loaded when it runs (check.ts defines its options and help). */
export async function runCheck(context: CliContext, raw: unknown, globals: GlobalOptions): Promise<void> {
  const options = parseOptions(checkOptions, raw);
  const terminal = terminalFor(context, globals);
  const report = await checkDataMap({ configPath: configPathOf(globals, context.env), env: context.env, signal: context.signal });
  const failing = [...report.problems, ...(options.strict ? report.warnings : [])];
  const ok = failing.length === 0;
  if (globals.json) {
    const document = {
      ok,
      strict: options.strict,
      file: report.file,
      ...(report.target ? { target: report.target } : {}),
      liveChecked: report.liveChecked,
      mappedTables: report.mappedTables,
      ...(report.databaseTables !== undefined ? { databaseTables: report.databaseTables } : {}),
      errors: report.problems,
      warnings: report.warnings,
      notes: report.notes,
    };
    // Under --json a failing check is one document: the report, with the error in it.
    if (!ok) {
      throw new LetheError(
        `${report.file}: not safe to run: ${failing.length} error${failing.length === 1 ? '' : 's'}${options.strict ? ' (warnings count with --strict)' : ''}.`,
        ExitCode.usage,
        'Fix the errors listed, then run lethe check again.',
        {
          code: 'config',
          result: document,
        },
      );
    }
    terminal.json(document);
  } else {
    terminal.result(renderReport(report, options.strict, ok));
  }
  if (!ok) context.setExitCode(ExitCode.usage);
}

function renderReport(report: CheckReport, strict: boolean, ok: boolean): string {
  const against = report.liveChecked ? ` against ${report.target} (${report.mappedTables} tables mapped, ${report.databaseTables} in the database)` : '';
  const lines = [`${report.file}: checked${against}.`];
  section(lines, 'Errors', report.problems);
  section(lines, strict ? 'Warnings (errors with --strict)' : 'Warnings', report.warnings);
  section(lines, 'Notes', report.notes);
  if (!report.liveChecked) lines.push('The map was not checked against the database: fix the database section first.');
  const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    ok
      ? `OK: safe to run${report.warnings.length > 0 ? ` (${counted(report.warnings.length, 'warning')})` : ''}.`
      : `Not safe to run: ${counted(report.problems.length + (strict ? report.warnings.length : 0), 'error')}. lethe will not read or write with this map.`,
  );
  return lines.join('\n');
}

function section(lines: string[], title: string, problems: ConfigProblem[]): void {
  if (problems.length === 0) return;
  lines.push(`${title} (${problems.length}):`);
  for (const p of problems) lines.push(`  - ${p.path ? `${p.path}: ` : ''}${p.message}`);
}
