/**
 * What the command line holds before any parser reads it: the command names, the program's
 * options (declared once, for commander and for the audit commands' own parser), and which
 * command a line names. Loads nothing: --version and the audit commands start on it.
 */

/** The commands, in the order the help lists them. */
export const COMMAND_NAMES = ['init', 'check', 'find', 'anonymize', 'sweep', 'export', 'reapply', 'suppressed', 'audit', 'detect'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** An option as commander writes it ("-c, --config <path>", "--no-input") with its help. */
export interface OptionSpec {
  flags: string;
  help: string;
}

/** The program's options, accepted before or after the command's name. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '-c, --config <path>', help: 'the data map (default: $LETHE_CONFIG or ./lethe.yml)' },
  { flags: '--operator <name>', help: 'who is acting, for the audit trail (default: $LETHE_OPERATOR or the OS user)' },
  { flags: '--json', help: 'print one JSON document on stdout' },
  { flags: '-q, --quiet', help: 'print only results and errors' },
  { flags: '--no-input', help: 'never prompt; irreversible steps then need --yes' },
  { flags: '--no-color', help: 'no colour (also NO_COLOR, or when not a terminal)' },
  { flags: '--debug', help: 'show stack traces on errors' },
];

/** An option's parts: "-c, --config <path>" is short c, long config, with a value. */
export function optionParts(spec: OptionSpec): { short?: string; long: string; takesValue: boolean } {
  const match = /^(?:-(\w), )?--([\w-]+)(?: <[^>]+>)?$/.exec(spec.flags);
  if (!match) throw new Error(`Unsupported option flags: ${spec.flags}`);
  return { ...(match[1] ? { short: match[1] } : {}), long: match[2]!, takesValue: spec.flags.endsWith('>') };
}

const GLOBALS_WITH_VALUES = new Set(
  GLOBAL_OPTIONS.flatMap((spec) => {
    const parts = optionParts(spec);
    return parts.takesValue ? [`--${parts.long}`, ...(parts.short ? [`-${parts.short}`] : [])] : [];
  }),
);

const isCommandName = (arg: string): arg is CommandName => (COMMAND_NAMES as readonly string[]).includes(arg);

/**
 * The commands to define for this command line: the one it names; none when it only asks for
 * the version; every one otherwise (the help, a typo that commander suggests a name for).
 */
export function commandsFor(argv: readonly string[]): CommandName[] {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (GLOBALS_WITH_VALUES.has(arg)) i += 1;
      continue;
    }
    return isCommandName(arg) ? [arg] : [...COMMAND_NAMES];
  }
  const onlyVersion = args.some((a) => a === '-V' || a === '--version') && !args.some((a) => a === '-h' || a === '--help');
  return onlyVersion ? [] : [...COMMAND_NAMES];
}
