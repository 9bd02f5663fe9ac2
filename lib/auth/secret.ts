import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";

/**
 * AUTH_SECRET, or for a laptop without one, a random secret generated once and kept under the data
 * directory so sessions survive restarts. Production should set AUTH_SECRET.
 */
export function resolveAuthSecret(): { secret: string; generatedAt?: string } {
  const env = getEnv();
  if (env.AUTH_SECRET) return { secret: env.AUTH_SECRET };
  const file = path.resolve(env.DATA_DIR, "auth-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return { secret: existing, generatedAt: file };
  } catch {
    // not there yet
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, generatedAt: file };
}
