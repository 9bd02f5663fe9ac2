import { describe, expect, it } from "vitest";
import { passwordProblem } from "@/lib/auth/password-rules";

describe("passwordProblem", () => {
  it("accepts a long, uncommon password", () => {
    expect(passwordProblem("lantern-harbour-91")).toBeNull();
  });

  it("asks for at least 12 characters and at most 256", () => {
    expect(passwordProblem("eleven-char")).toBe("Use at least 12 characters.");
    expect(passwordProblem("x".repeat(10) + "y".repeat(250))).toBe("Use at most 256 characters.");
  });

  it("refuses common passwords and one repeated character, in any case", () => {
    expect(passwordProblem("Password1234")).toMatch(/too common/);
    expect(passwordProblem("zzzzzzzzzzzzzz")).toMatch(/too common/);
  });

  it("refuses a password that contains the email's name part", () => {
    expect(passwordProblem("my-marta-password", { email: "marta@example.test" })).toMatch(/email address/);
  });
});
