// Password rules, pure so the setup and profile forms can show the same messages the server enforces.

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

// The most common passwords of at least 12 characters in public breach lists (lower-cased).
const COMMON = new Set([
  "123456789012", "1234567890123", "12345678901234", "password1234", "password12345", "password123456",
  "qwertyuiop12", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
  "iloveyou1234", "letmein12345", "welcome12345", "administrator", "admin1234567", "changeme1234",
  "passw0rd1234", "p@ssw0rd1234", "p@ssword1234", "abcdefghijkl", "abc123456789", "aaaaaaaaaaaa",
  "111111111111", "000000000000", "123123123123", "987654321098", "qwertyqwerty", "asdfghjkl123",
  "football1234", "baseball1234", "superman1234", "trustno11234", "sunshine1234", "princess1234",
  "correcthorsebatterystaple", "thequickbrownfox", "monkey123456", "dragon123456", "master123456",
  "topone123456", "toponemagazine", "magazine1234", "newsroom1234", "editor123456", "letmeinplease",
]);

/** A message saying what is wrong with a new password, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return "That password is too common; choose one that is hard to guess.";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return "Do not use your email address in your password.";
  return null;
}
