import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { staffEndpoints } from "@/lib/auth/endpoints";
import { can, type Capability, type Role } from "@/lib/auth/permissions";
import { useBrowser } from "../fixtures/e2e-browser";
import { e2eAdmin } from "../fixtures/e2e-staff";
import { readXssCorpus } from "../fixtures/xss-corpus";
import { sharedDir } from "../fixtures/shared";

// Staff sign-in on the production build, in Chromium. Tests run in order and build on each other:
// the first-run setup creates the admin the later tests sign in as. Every failed sign-in here comes
// from 127.0.0.1, which allows 20 per 15 minutes: the hostile-corpus test (which exceeds that) is last.
const { baseUrl, writer: writerAccount, demoArticleId } = inject("e2e");
const writer = { ...writerAccount }; // its password changes in the forced-reset test
const browser = useBrowser();
const admin = e2eAdmin;
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

  async function adminOnStaffPage() {
    const page = await signInPage(admin.email, admin.password);
    await page.waitForURL(`${baseUrl}/editor`);
    await page.goto(`${baseUrl}/editor/staff`);
    return page;
  }

  it("invites by a one-time link that works once", async () => {
    const adminPage = await adminOnStaffPage();
    await adminPage.getByLabel("Invite by email").fill("nia.new@e2e.example");
    await adminPage.getByLabel("Role", { exact: true }).selectOption("editor");
    await adminPage.getByRole("button", { name: "Create invitation link" }).click();
    await adminPage.waitForURL(/done=invite/);
    const link = (await adminPage.locator("[data-staff-link]").textContent())!;
    expect(link.startsWith(`${baseUrl}/editor/welcome/`)).toBe(true);

    const invitee = await browser.newPage();
    await invitee.goto(link);
    await invitee.getByLabel("Your name (as it appears in bylines)").fill("Nia New");
    await invitee.getByLabel("Password").fill("amber-quarry-violin-88");
    await invitee.getByRole("button", { name: "Create my account" }).click();
    await invitee.waitForURL(/welcome=1/);

    expect((await fetch(link)).status).toBe(404);
    const replay = await fetch(link.replace("/editor/welcome/", "/api/staff/welcome/"), { method: "POST", headers: sameOrigin, body: "name=Mallory&password=another-strong-pass-1", redirect: "manual" });
    expect(replay.status).toBe(404);
    const newcomer = await signInPage("nia.new@e2e.example", "amber-quarry-violin-88");
    await newcomer.waitForURL(`${baseUrl}/editor`);
    expect(await newcomer.getByRole("banner").textContent()).toContain("Nia New (editor)");
  });

  it("forces a password reset: the old password and open sessions stop working, the link sets a new one", async () => {
    const writerPage = await signInPage(writer.email, writer.password);
    await writerPage.waitForURL(`${baseUrl}/editor`);
    const adminPage = await adminOnStaffPage();
    await adminPage.getByRole("button", { name: `Force password reset for ${writer.name}` }).click();
    await adminPage.waitForURL(/done=reset-password/);
    const link = (await adminPage.locator("[data-staff-link]").textContent())!;

    await writerPage.goto(`${baseUrl}/editor`);
    expect(writerPage.url()).toContain("/editor/sign-in");
    expect((await postSignIn(writer.email, writer.password)).headers.get("location")).toContain("error=invalid");

    writer.password = "saffron-tunnel-orbit-31";
    await writerPage.goto(link);
    await writerPage.getByLabel("Password").fill(writer.password);
    await writerPage.getByRole("button", { name: "Save my new password" }).click();
    await writerPage.waitForURL(/welcome=1/);
    expect((await postSignIn(writer.email, writer.password)).headers.get("location")).toBe("/editor");
    expect((await fetch(link)).status).toBe(404);
  });

  it("refuses cross-site and Origin-less posts (403), oversized forms (413), posts to reader pages (405) and a writer's staff changes (403)", async () => {
    for (const headers of [{ Origin: "https://evil.example" }, {}, { Origin: "null" }]) {
      const response = await postSignIn(admin.email, admin.password, { ...headers, "Content-Type": "application/x-www-form-urlencoded" } as Record<string, string>);
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/^Forbidden/);
    }
    const oversized = await postSignIn(admin.email, "x".repeat(20_000));
    expect(oversized.status).toBe(413);
    const onReaderPage = await fetch(`${baseUrl}/`, { method: "POST", headers: { ...sameOrigin, "next-action": "0123abcd" }, body: "[]" });
    expect(onReaderPage.status).toBe(405);
    const signedIn = await postSignIn(writer.email, writer.password);
    const cookie = (signedIn.headers.getSetCookie() ?? []).map((c) => c.split(";")[0]).join("; ");
    expect(cookie).toContain("session-token");
    expect((await fetch(`${baseUrl}/editor/staff`, { headers: { cookie } })).status).toBe(404);
    const adminId = "00000000-0000-4000-8000-000000000000";
    const attempt = await fetch(`${baseUrl}/api/staff/users/${adminId}/role`, { method: "POST", headers: { ...sameOrigin, cookie }, body: "role=admin", redirect: "manual" });
    expect(attempt.status).toBe(403);
  });

  async function sessionOf(email: string, password: string) {
    const response = await postSignIn(email, password);
    expect(response.headers.get("location"), email).toBe("/editor");
    return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  }

  it("grants each staff endpoint exactly to the roles the capability table names (the authorization matrix)", async () => {
    const sessions: Record<string, string | null> = {
      anonymous: null,
      writer: await sessionOf(writer.email, writer.password),
      editor: await sessionOf("nia.new@e2e.example", "amber-quarry-violin-88"),
      admin: await sessionOf(admin.email, admin.password),
    };
    // posts name nobody (allowed callers get 404, refused ones 401/403); pages open a demo article
    // that none of these accounts wrote (a page answers 404 to those it refuses)
    const nobody = "00000000-0000-4000-8000-000000000000";
    const checked: string[] = [];
    for (const [endpoint, access] of Object.entries(staffEndpoints)) {
      if (access === "public") continue;
      const [method, route] = endpoint.split(" ") as [string, string];
      const url = `${baseUrl}${route.replace("[id]", method === "GET" ? demoArticleId : nobody)}`;
      for (const [who, cookie] of Object.entries(sessions)) {
        const role = who === "anonymous" ? null : (who as Role);
        const allowed = role !== null && (access === "signed-in" || can({ kind: "staff", id: "x", role }, access.replace(/^self-or-/, "") as Capability));
        const body = route.endsWith("/role") ? "role=writer" : route.endsWith("/invites") ? "email=not-an-email&role=writer" : "";
        const response = await fetch(url, { method, headers: { ...sameOrigin, ...(cookie ? { cookie } : {}) }, body: method === "POST" ? body : undefined, redirect: "manual" });
        const outcome = response.status === 307 || response.status === 401 || response.status === 403 || (method === "GET" && response.status === 404) ? "denied" : "allowed";
        expect(`${endpoint} as ${who}: ${outcome} (${response.status})`).toBe(`${endpoint} as ${who}: ${allowed ? "allowed" : "denied"} (${response.status})`);
        checked.push(endpoint);
      }
    }
    expect(new Set(checked).size).toBe(Object.values(staffEndpoints).filter((a) => a !== "public").length);
  });

  it("shows every XSS payload saved as a profile name or bio as typed, on the author page and in bylines, executing nothing", async () => {
    const corpus = readXssCorpus();
    const of = (target: string) => corpus.filter((s) => s.targets.includes(target) || s.targets.includes("all-text")).flatMap((s) => s.payloads);
    const names = of("author_name").filter((p) => p.trim().length > 0 && p.length <= 120);
    const bios = of("author_bio");
    const cookie = await sessionOf(writer.email, writer.password);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    const rounds = Math.max(names.length, bios.length);
    for (let i = 0; i < rounds; i++) {
      const name = names[i % names.length]!;
      const bio = bios[i % bios.length]!;
      const saved = await fetch(`${baseUrl}/api/staff/profile`, { method: "POST", headers: { ...sameOrigin, cookie }, body: new URLSearchParams({ name, bio }), redirect: "manual" });
      expect(saved.headers.get("location"), name).toBe("/editor/profile?done=profile");
      await page.goto(`${baseUrl}/author/${writer.slug}`);
      expect(await page.locator("main h1").textContent(), name).toBe(name.trim());
      if (bio.trim()) expect(await page.evaluate(() => Array.from(document.querySelectorAll("main p"), (p) => p.textContent)), bio).toContain(bio.trim());
      await page.goto(`${baseUrl}/article/${writer.article}`);
      expect(await page.locator("main").textContent(), name).toContain(name.trim());
      const active = await page.evaluate(() => Array.from(document.querySelectorAll("main *")).flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)));
      expect(active, name).toEqual([]);
    }
    expect(dialogs).toEqual([]);
    // leave a readable name for the tests after this one
    await fetch(`${baseUrl}/api/staff/profile`, { method: "POST", headers: { ...sameOrigin, cookie }, body: new URLSearchParams({ name: writer.name, bio: "" }), redirect: "manual" });
  }, 240_000);

  it("lets an admin rename the site: the masthead of cached reader pages shows it at the next request", async () => {
    const adminPage = await signInPage(admin.email, admin.password);
    await adminPage.waitForURL(`${baseUrl}/editor`);
    await fetch(`${baseUrl}/`); // cached before the change
    await adminPage.goto(`${baseUrl}/editor/settings`);
    await adminPage.getByLabel("Site name").fill("The Evening Ledger");
    await adminPage.getByLabel("Time zone").fill("Mars/Olympus");
    await adminPage.getByRole("button", { name: "Save settings" }).click();
    await adminPage.waitForURL(/error=/);
    expect(await adminPage.locator("main [role=alert]").textContent()).toContain("time zone");
    await adminPage.getByLabel("Site name").fill("The Evening Ledger");
    await adminPage.getByLabel("Time zone").fill("Europe/Paris");
    await adminPage.getByRole("button", { name: "Save settings" }).click();
    await adminPage.waitForURL(/done=1/);
    try {
      expect(await (await fetch(`${baseUrl}/`)).text()).toContain("The Evening Ledger");
      expect(await (await fetch(`${baseUrl}/feed.xml`)).text()).toContain("The Evening Ledger");
      // dates are written in the magazine's time zone for readers without JavaScript
      const published = /<time[^>]*data-local="datetime"[^>]*>([^<]+)<\/time>/.exec(await (await fetch(`${baseUrl}/article/${writer.article}`)).text())?.[1];
      expect(published).toMatch(/\d{2}:\d{2} (CET|CEST)$/);
    } finally {
      await adminPage.getByLabel("Site name").fill("Top One Magazine");
      await adminPage.getByLabel("Time zone").fill("UTC");
      await adminPage.getByRole("button", { name: "Save settings" }).click();
      await adminPage.waitForURL(/done=1/);
    }
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
