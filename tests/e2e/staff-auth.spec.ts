import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { useBrowser } from "../fixtures/e2e-browser";
import { sharedDir } from "../fixtures/shared";

// Staff sign-in on the production build, in Chromium. Tests run in order and build on each other:
// the first-run setup creates the admin the later tests sign in as. Every failed sign-in here comes
// from 127.0.0.1, which allows 20 per 15 minutes: the hostile-corpus test (which exceeds that) is last.
const { baseUrl, writer } = inject("e2e");
const browser = useBrowser();
const admin = { name: "Ada Admin", email: "ada.admin@e2e.example", password: "copper-lantern-fjord-17" };
const sameOrigin = { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" };

async function signInPage(email: string, password: string) {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/editor/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  return page;
}

function postSignIn(email: string, password: string, headers: Record<string, string> = sameOrigin) {
  return fetch(`${baseUrl}/api/staff/sign-in`, { method: "POST", headers, body: new URLSearchParams({ email, password }), redirect: "manual" });
}

describe("staff sign-in", () => {
  it("sends anonymous visitors of the editor to sign-in, on the host they used", async () => {
    for (const origin of [baseUrl, baseUrl.replace("127.0.0.1", "localhost")]) {
      const response = await fetch(`${origin}/editor/staff`, { redirect: "manual" });
      expect(response.status).toBe(307);
      // relative or absolute, it resolves on the host the visitor used
      expect(new URL(response.headers.get("location")!, origin).href).toBe(`${origin}/editor/sign-in?next=%2Feditor%2Fstaff`);
    }
    // a forged internal header does not skip the proxy (CVE-2025-29927), and the page checks anyway
    const forged = await fetch(`${baseUrl}/editor`, { redirect: "manual", headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" } });
    expect(forged.status).toBe(307);
    const noCookieCheck = await fetch(`${baseUrl}/editor`, { redirect: "manual", headers: { cookie: "authjs.session-token=forged" } });
    expect(noCookieCheck.status).toBe(307);
    expect(noCookieCheck.headers.get("location")).toContain("/editor/sign-in");
  });

  it("lets the first visitor create the admin account, and only then", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/editor/sign-in`);
    await page.getByRole("link", { name: "Create the admin account" }).click();
    await page.waitForURL(/\/editor\/setup$/);
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill("password1234");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await expect.poll(() => page.locator("main [role=alert]").textContent()).toContain("too common");
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.waitForURL(/\/editor\/sign-in\?setup=created/);
    expect((await fetch(`${baseUrl}/editor/setup`)).status).toBe(404);
    const again = await fetch(`${baseUrl}/api/staff/setup`, { method: "POST", headers: sameOrigin, body: new URLSearchParams({ ...admin, email: "intruder@e2e.example" }), redirect: "manual" });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/editor/sign-in?setup=done");
  });

  it("signs in, shows who is signed in, and signs out", async () => {
    const page = await signInPage(admin.email, admin.password);
    await page.waitForURL(`${baseUrl}/editor`);
    expect(await page.getByRole("banner").textContent()).toContain(`${admin.name} (admin)`);
    const [cookie] = (await page.context().cookies()).filter((c) => c.name.includes("session-token"));
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/editor\/sign-in\?signed-out=1/);
    await page.goto(`${baseUrl}/editor`);
    expect(page.url()).toContain("/editor/sign-in?next=%2Feditor");
  });

  it("answers a wrong password and an unknown email alike", async () => {
    const wrong = await signInPage(admin.email, "not-the-right-password");
    await wrong.waitForURL(/error=invalid/);
    const unknown = await signInPage("nobody@e2e.example", "not-the-right-password");
    await unknown.waitForURL(/error=invalid/);
    expect(await wrong.locator("main [role=alert]").textContent()).toBe(await unknown.locator("main [role=alert]").textContent());
  });

  it("refuses a suspended writer's open session at the next request", async () => {
    const writerPage = await signInPage(writer.email, writer.password);
    await writerPage.waitForURL(`${baseUrl}/editor`);
    expect(await writerPage.getByRole("link", { name: "Staff" }).count()).toBe(0);
    const adminPage = await signInPage(admin.email, admin.password);
    await adminPage.waitForURL(`${baseUrl}/editor`);
    await adminPage.goto(`${baseUrl}/editor/staff`);
    await adminPage.getByRole("button", { name: `Suspend ${writer.name}` }).click();
    await adminPage.waitForURL(/done=suspend/);
    await writerPage.goto(`${baseUrl}/editor`);
    expect(writerPage.url()).toContain("/editor/sign-in");
    // and cannot sign in again until reactivated
    const retry = await postSignIn(writer.email, writer.password);
    expect(retry.headers.get("location")).toContain("error=invalid");
    await adminPage.getByRole("button", { name: `Reactivate ${writer.name}` }).click();
    await adminPage.waitForURL(/done=reactivate/);
    expect((await postSignIn(writer.email, writer.password)).headers.get("location")).toBe("/editor");
  });

  it("keeps the last active admin an admin", async () => {
    const adminPage = await signInPage(admin.email, admin.password);
    await adminPage.waitForURL(`${baseUrl}/editor`);
    await adminPage.goto(`${baseUrl}/editor/staff`);
    await adminPage.getByRole("button", { name: `Suspend ${admin.name}` }).click();
    await adminPage.waitForURL(/error=/);
    expect(await adminPage.locator("main [role=alert]").textContent()).toContain("last active admin");
  });

  it("refuses cross-site and Origin-less posts with 403, and a writer's staff changes with 403", async () => {
    for (const headers of [{ Origin: "https://evil.example" }, {}, { Origin: "null" }]) {
      const response = await postSignIn(admin.email, admin.password, { ...headers, "Content-Type": "application/x-www-form-urlencoded" } as Record<string, string>);
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/^Forbidden/);
    }
    const signedIn = await postSignIn(writer.email, writer.password);
    const cookie = (signedIn.headers.getSetCookie() ?? []).map((c) => c.split(";")[0]).join("; ");
    expect(cookie).toContain("session-token");
    const staffList = await (await fetch(`${baseUrl}/editor/staff`, { headers: { cookie } })).text();
    expect(staffList).toContain("Only admins manage staff.");
    const adminId = "00000000-0000-4000-8000-000000000000";
    const attempt = await fetch(`${baseUrl}/api/staff/users/${adminId}/role`, { method: "POST", headers: { ...sameOrigin, cookie }, body: "role=admin", redirect: "manual" });
    expect(attempt.status).toBe(403);
  });

  it("throttles an account after 5 failures in 15 minutes: 429 with Retry-After", async () => {
    const target = "throttle.target@e2e.example";
    for (let i = 0; i < 5; i++) expect((await postSignIn(target, `wrong-password-${i}`)).status).toBe(303);
    const refused = await postSignIn(target, "wrong-password-6");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(await refused.text()).toMatch(/Too many failed sign-ins\. Wait 1[45] minutes/);
  });

  it("puts the editor under a nonce policy that forbids framing, and its pages work under it", async () => {
    const response = await fetch(`${baseUrl}/editor/sign-in`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(response.headers.get("cache-control")).toContain("no-store");
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${baseUrl}/editor/sign-in`, { waitUntil: "networkidle" });
    expect(await page.evaluate(() => typeof (window as unknown as { __next_f?: unknown }).__next_f)).toBe("object");
    expect(violations).toEqual([]);
  });

  it("answers every line of the SQL-injection and path corpora on the staff routes without a 5xx", async () => {
    const lines = (file: string) => fs.readFileSync(path.join(sharedDir, "security-corpus", file), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
    const failures: string[] = [];
    for (const payload of lines("sqli.txt")) {
      const responses = [
        await postSignIn(payload, payload),
        await fetch(`${baseUrl}/editor/sign-in?next=${encodeURIComponent(payload)}&error=${encodeURIComponent(payload)}`),
        await fetch(`${baseUrl}/api/staff/setup`, { method: "POST", headers: sameOrigin, body: new URLSearchParams({ name: payload, email: payload, password: payload }), redirect: "manual" }),
      ];
      for (const response of responses) if (response.status >= 500) failures.push(`${response.status} ${payload}`);
    }
    for (const payload of lines("paths.txt")) {
      for (const url of [`${baseUrl}/editor/${payload}`, `${baseUrl}/api/staff/users/${payload}/role`, `${baseUrl}/editor/sign-in?next=${encodeURIComponent(payload)}`]) {
        const response = await fetch(url, { method: url.includes("/api/") ? "POST" : "GET", headers: sameOrigin, redirect: "manual" }).catch(() => null);
        if (response && response.status >= 500) failures.push(`${response.status} ${url}`);
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);
});
