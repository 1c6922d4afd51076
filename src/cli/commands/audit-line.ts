/**
 * The audit commands' usual command lines, parsed with node's parseArgs from the same option
 * tables commander is given (command-line.ts, audit-options.ts), so that an auditor's `lethe
 * audit list` does not load commander: it was a third of the command's start-up. A line this
 * parser does not take whole (help, an unknown or ambiguous option, a wrong number of
 * arguments, `--`) goes to commander, which answers it with its help or its error.
 */
import { parseArgs } from 'node:util';
import { GLOBAL_OPTIONS, optionParts, type OptionSpec } from '../command-line.js';
import type { CliContext, GlobalOptions } from '../context.js';
import { AUDIT_ARGUMENTS, AUDIT_OPTIONS, AUDIT_SUBCOMMANDS, type AuditSubcommand } from './audit-options.js';

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** The audit command the line runs, ready to run, or undefined when commander must read the line. */
export function auditRun(context: CliContext, argv: readonly string[]): (() => Promise<void>) | undefined {
  const line = parsedLine(argv);
  if (!line) return undefined;
  const { name, args, options, globals } = line;
  return async () => {
    const run = await import('./audit-run.js');
    if (name === 'list') await run.runAuditList(context, options, globals);
    else if (name === 'show') await run.runAuditShow(context, args[0]!, globals);
    else if (name === 'export') await run.runAuditExport(context, options, globals);
    else await run.runAuditVerify(context, options, globals);
  };
}

interface ParsedLine {
  name: AuditSubcommand;
  args: string[];
  /** The subcommand's options by commander's names (camelCase), as its action receives them. */
  options: Record<string, unknown>;
  globals: GlobalOptions;
}

/** Exported for the test that holds this parser and commander to the same answers. */
export function parsedLine(argv: readonly string[]): ParsedLine | undefined {
  const args = argv.slice(2);
  if (args.includes('--') || args.some((a) => a === '-h' || a === '--help' || a === '-V' || a === '--version' || a === 'help')) return undefined;
  // The subcommand: the first word after "audit" (global options take their values first).
  let parsed;
  const specs = (name: AuditSubcommand): readonly OptionSpec[] => [
    ...GLOBAL_OPTIONS.filter((g) => !AUDIT_OPTIONS[name].some((o) => optionParts(o).long === optionParts(g).long)),
    ...AUDIT_OPTIONS[name],
  ];
  for (const name of AUDIT_SUBCOMMANDS) {
    try {
      parsed = { name, result: parseArgs({ args: [...args], options: parseOptions(specs(name)), allowPositionals: true, strict: true, tokens: true }) };
    } catch {
      continue;
    }
    const [audit, sub, ...rest] = parsed.result.positionals;
    if (audit !== 'audit' || sub !== name) continue;
    if (rest.length !== AUDIT_ARGUMENTS[name]) return undefined;
    // Commander reads a subcommand's own options only after the subcommand's name.
    const tokens = (parsed.result.tokens ?? []) as readonly { kind: string; name?: string; value?: unknown; index: number }[];
    const named = tokens.find((t) => t.kind === 'positional' && t.value === name)!.index;
    const own = new Set(AUDIT_OPTIONS[name].map((spec) => optionParts(spec).long));
    if (tokens.some((t) => t.kind === 'option' && own.has(t.name!) && t.name !== 'operator' && t.index < named)) return undefined;
    return { name, args: rest, ...split(parsed.result.values, name) };
  }
  return undefined;
}

function parseOptions(specs: readonly OptionSpec[]): ParseOptions {
  const options: ParseOptions = {};
  for (const spec of specs) {
    const { short, long, takesValue } = optionParts(spec);
    options[long] = { type: takesValue ? 'string' : 'boolean', ...(short ? { short } : {}) };
  }
  return options;
}

/** parseArgs' values as commander gives them: the program's options and the subcommand's, camelCase, --no-x as x: false. */
function split(values: Record<string, unknown>, name: AuditSubcommand): Pick<ParsedLine, 'options' | 'globals'> {
  const own = new Set(AUDIT_OPTIONS[name].map((spec) => optionParts(spec).long));
  const options: Record<string, unknown> = {};
  const globals: GlobalOptions = { input: true, color: true };
  for (const [long, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const negated = long.startsWith('no-');
    const key = camel(negated ? long.slice(3) : long);
    const target = own.has(long) ? options : (globals as unknown as Record<string, unknown>);
    target[key] = negated ? !value : value;
  }
  // The program takes --operator wherever it is; commander gives it to the program, not to list or export.
  if (typeof options.operator === 'string') {
    globals.operator = options.operator;
    delete options.operator;
  }
  return { options, globals };
}

const camel = (name: string): string => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
