import { detect, type DetectOptions, type PiiType } from '../../../src/detect/index.js';

/** The texts of the spans of `type` found in `text`. */
export function found(type: PiiType, text: string, options: DetectOptions = {}): string[] {
  return detect(text, { ...options, types: [type] }).map((span) => text.slice(span.start, span.end));
}

/** Every span found in `text`, as [type, text] pairs. */
export function everything(text: string, options: DetectOptions = {}): [PiiType, string][] {
  return detect(text, options).map((span) => [span.type, text.slice(span.start, span.end)]);
}
