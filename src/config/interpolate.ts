import type { ConfigProblem } from '../errors.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string of a parsed YAML tree.
 * Interpolating after parsing, not in the text, means a value can never change the
 * YAML structure around it. Unset variables are collected with their dot path.
 */
export function interpolateEnv(node: unknown, env: NodeJS.ProcessEnv, problems: ConfigProblem[], path: string[] = []): unknown {
  if (typeof node === 'string') {
    return node.replace(REFERENCE, (whole, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      problems.push({
        path: path.join('.'),
        message: `environment variable ${name} is not set (referenced as ${whole})`,
      });
      return '';
    });
  }
  if (Array.isArray(node)) return node.map((item, i) => interpolateEnv(item, env, problems, [...path, String(i)]));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateEnv(value, env, problems, [...path, key])]));
  }
  return node;
}
