/**
 * Secrets read in this process (passwords from database URLs) and the redaction every printed
 * message goes through, so that a driver message or stack trace that echoes one never shows it.
 */

/** What a secret is replaced with. */
export const MASK = '***';

const secrets = new Set<string>();
/** Texts built to be printed (masked URLs): kept whole, even where they hold a secret's letters. */
const safeTexts = new Set<string>();
let pattern: RegExp | undefined;

/** Registers secrets, each in every spelling given (as written, decoded, encoded). */
export function registerSecret(...spellings: string[]): void {
  for (const s of spellings) if (s) secrets.add(s);
  pattern = undefined;
}

/** Registers a text made safe to print (a masked URL): redaction leaves it as it is. */
export function registerSafeText(text: string): void {
  if (text) safeTexts.add(text);
  pattern = undefined;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` with every registered secret replaced by `***`. */
export function redact(text: string): string {
  if (secrets.size === 0) return text;
  if (!pattern) {
    // Longest first: a secret holding another is replaced whole, and a masked URL that spells a
    // short password elsewhere (user "postgres", password "postgres") stays readable.
    const all = [...safeTexts, ...secrets].sort((a, b) => b.length - a.length);
    pattern = new RegExp(all.map(escape).join('|'), 'g');
  }
  return text.replace(pattern, (m) => (safeTexts.has(m) ? m : MASK));
}
