// Log lines quote what others chose and emit no control characters, so a forged userId cannot pass for the
// emulator's own words, start a new line, or move the terminal's cursor.

/** A value someone else chose, for a log line: a number as it is, anything else quoted, so it cannot pass for the line's own words. */
export function quote(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(typeof value === 'string' ? value : String(value));
}

/** Control characters (C0, DEL, C1, line and paragraph separators) written as \u escapes, not emitted. */
export function escapeControlCharacters(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
