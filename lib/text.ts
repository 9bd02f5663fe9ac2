// Typed text as PostgreSQL can store it: control characters (NUL above all, which a text column
// refuses) are dropped; line breaks and tabs stay. For every plain-text field people type.
export function withoutControlCharacters(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}
