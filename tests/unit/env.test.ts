import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("needs no variables at all: PGlite under ./data", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe("./data");
  });

  it("names DATABASE_URL and what is wrong when it is malformed", () => {
    expect(() => parseEnv({ DATABASE_URL: "localhost:5432/magazine" })).toThrow(EnvError);
    try {
      parseEnv({ DATABASE_URL: "mysql://root@127.0.0.1/magazine" });
    } catch (error) {
      expect((error as EnvError).problems).toEqual([expect.stringMatching(/^DATABASE_URL: must be a PostgreSQL URL/)]);
    }
  });

  it("accepts postgres:// and postgresql:// URLs", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/magazine" }).DATABASE_URL).toContain("127.0.0.1");
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db.internal/magazine" }).DATABASE_URL).toContain("db.internal");
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", AUTH_SECRET: "", PORT: "" })).toMatchObject({ DATABASE_URL: undefined, AUTH_SECRET: undefined, PORT: undefined });
  });

  it("reports every bad variable at once, by name", () => {
    try {
      parseEnv({ PORT: "99999", AUTH_SECRET: "short", REDIS_URL: "http://x" });
      expect.unreachable();
    } catch (error) {
      const problems = (error as EnvError).problems.join("\n");
      expect(problems).toMatch(/^PORT: /m);
      expect(problems).toMatch(/^AUTH_SECRET: must be at least 32 characters/m);
      expect(problems).toMatch(/^REDIS_URL: must be a redis:\/\//m);
    }
  });

  it("keeps media on disk unless MEDIA_STORAGE=database, and refuses other values", () => {
    expect(parseEnv({}).MEDIA_STORAGE).toBe("disk");
    expect(parseEnv({ MEDIA_STORAGE: "database" }).MEDIA_STORAGE).toBe("database");
    expect(() => parseEnv({ MEDIA_STORAGE: "s3" })).toThrow(/^Invalid environment:\n {2}- MEDIA_STORAGE: must be "disk" or "database"$/);
  });

  it("accepts smtp:// and smtps:// mail servers, refuses other schemes, and defaults MAIL_FROM", () => {
    expect(parseEnv({}).SMTP_URL).toBeUndefined();
    expect(parseEnv({}).MAIL_FROM).toBe("Top One Magazine <no-reply@localhost>");
    expect(parseEnv({ SMTP_URL: "smtp://user:pass@127.0.0.1:2525" }).SMTP_URL).toBe("smtp://user:pass@127.0.0.1:2525");
    expect(parseEnv({ SMTP_URL: "smtps://mail.example:465", MAIL_FROM: "Desk <desk@magazine.example>" })).toMatchObject({ SMTP_URL: "smtps://mail.example:465", MAIL_FROM: "Desk <desk@magazine.example>" });
    try {
      parseEnv({ SMTP_URL: "http://mail.example", MAIL_FROM: "nobody" });
      expect.unreachable();
    } catch (error) {
      const problems = (error as EnvError).problems.join("\n");
      expect(problems).toMatch(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/m);
      expect(problems).toMatch(/^MAIL_FROM: must be an address/m);
    }
  });
});
