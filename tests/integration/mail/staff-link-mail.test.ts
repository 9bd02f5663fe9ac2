import net from "node:net";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { settings } from "@/db/schema";
import { operator, type Actor, type Role } from "@/lib/auth/permissions";
import { authenticateStaff } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { useMailTransport } from "@/lib/mail";
import { linkMailQuery, mailStaffLink } from "@/lib/staff/link-mail";
import { createStaffAccount } from "@/lib/staff/mutations";
import { forcePasswordReset, inviteStaff, readStaffLink, redeemStaffLink } from "@/lib/staff/tokens";

// A real SMTP server on 127.0.0.1 (smtp-server) receives what the magazine sends; mailparser reads
// it back as a mail client would. The server requires the credentials given in the SMTP URL, so the
// URL's user and password are proven to reach it. The file shares one database: every test uses
// its own accounts and emails.

const PASSWORD = "violet-harbour-lamp-42";
const NEW_PASSWORD = "copper-meadow-sail-73";
const ORIGIN = "http://magazine.test:3000";
const SMTP_USER = "mailer";
const SMTP_PASSWORD = "p@ss:word"; // needs percent-encoding in the URL

type Received = { from: string; to: string[]; mail: ParsedMail };
const received: Received[] = [];
let server: SMTPServer;
let smtpUrl: string;

beforeAll(async () => {
  server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  smtpUrl = `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`;
});

afterEach(() => {
  useMailTransport(null);
  received.length = 0;
  vi.restoreAllMocks();
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let sequence = 0;
const uniqueEmail = (label: string) => `${label}-${++sequence}@example.test`;

async function staffAccount(role: Role) {
  const email = uniqueEmail(`mail-${role}`);
  const { id } = await createStaffAccount(operator, { email, name: `Mail Person ${sequence}`, role, password: PASSWORD });
  const actor: Actor = { kind: "staff", id, role };
  return { id, email, actor };
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Every line the app logs while `work` runs, to prove no token reaches the logs. */
async function logsDuring<T>(work: () => Promise<T>): Promise<{ result: T; logged: string }> {
  const lines: string[] = [];
  for (const method of ["log", "error", "warn", "info"] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  const result = await work();
  vi.restoreAllMocks();
  return { result, logged: lines.join("\n") };
}

const tokenIn = (text: string) => {
  const match = new RegExp(`${ORIGIN.replace(/[.:/]/g, "\\$&")}/editor/welcome/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`).exec(text);
  if (!match) throw new Error(`no welcome link in:\n${text}`);
  return match[1]!;
};

describe("invitations by mail", () => {
  it("mails the invitee one message, from MAIL_FROM, whose link works; the admin is told it was sent", async () => {
    useMailTransport(smtpUrl);
    const admin = await staffAccount("admin");
    const email = uniqueEmail("invitee");
    const link = await inviteStaff(admin.actor, { email, role: "editor" });
    const { result: mail, logged } = await logsDuring(() => mailStaffLink(link, ORIGIN));

    expect(mail).toEqual({ status: "sent", to: email });
    expect(linkMailQuery(mail)).toBe(`&mail=sent&to=${encodeURIComponent(email)}`);
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message!.to).toEqual([email]);
    expect(message!.from).toBe("no-reply@localhost");
    expect(message!.mail.from?.value).toEqual([{ name: "Top One Magazine", address: "no-reply@localhost" }]);
    expect(message!.mail.subject).toBe("Your invitation to Top One Magazine");
    expect(message!.mail.text).toContain("as an editor");

    // the mailed link is the one the admin was shown, on the admin's origin, in both parts
    const url = `${ORIGIN}${link.path}`;
    expect(message!.mail.text).toContain(url);
    expect(message!.mail.html).toContain(`<a href="${url}">${url}</a>`);
    const token = tokenIn(message!.mail.text ?? "");
    expect(await readStaffLink(token)).toEqual({ kind: "invite", email, role: "editor", name: null });
    await redeemStaffLink(token, { name: "Ivy Invitee", password: NEW_PASSWORD });
    expect(await authenticateStaff(email, NEW_PASSWORD, "203.0.113.41")).toMatchObject({ ok: true, staff: { email, role: "editor" } });

    expect(logged).toContain("staff link mailed");
    expect(logged).not.toContain(token);
  });

  it("still succeeds when the mail server cannot be reached, and says why the mail was not sent", async () => {
    useMailTransport(`smtp://127.0.0.1:${await closedPort()}`);
    const admin = await staffAccount("admin");
    const email = uniqueEmail("unreachable");
    const link = await inviteStaff(admin.actor, { email, role: "writer" });
    const started = Date.now();
    const { result: mail, logged } = await logsDuring(() => mailStaffLink(link, ORIGIN));

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(mail).toMatchObject({ status: "failed", to: email, reason: expect.stringContaining("ECONNREFUSED") });
    const query = new URLSearchParams(linkMailQuery(mail).slice(1));
    expect(Object.fromEntries(query)).toEqual({ mail: "failed", to: email, reason: (mail as { reason: string }).reason });
    // the invitation stands: the link the admin passes on works
    const token = link.path.split("/").at(-1)!;
    expect(await readStaffLink(token)).toEqual({ kind: "invite", email, role: "writer", name: null });
    expect(logged).toContain("staff link mail failed");
    expect(logged).not.toContain(token);
    expect(received).toHaveLength(0);
  });

  it("reports a mail server that refuses the credentials as a failure, not an error", async () => {
    useMailTransport(smtpUrl.replace(encodeURIComponent(SMTP_PASSWORD), "wrong"));
    const admin = await staffAccount("admin");
    const link = await inviteStaff(admin.actor, { email: uniqueEmail("bad-login"), role: "writer" });
    const { result: mail } = await logsDuring(() => mailStaffLink(link, ORIGIN));
    expect(mail).toMatchObject({ status: "failed", reason: expect.stringMatching(/Invalid login|535/) });
    expect(received).toHaveLength(0);
  });

  it("sends nothing without SMTP_URL (as in this environment, or turned off) and tells the page nothing", async () => {
    expect(getEnv().SMTP_URL).toBeUndefined();
    const admin = await staffAccount("admin");
    // the environment's choice, before any test transport is set…
    const first = await inviteStaff(admin.actor, { email: uniqueEmail("no-smtp"), role: "writer" });
    const mail = await mailStaffLink(first, ORIGIN);
    expect(mail).toEqual({ status: "off", to: first.email });
    expect(linkMailQuery(mail)).toBe("");
    // …and mail turned off again after a server was set
    useMailTransport(smtpUrl);
    useMailTransport(null);
    const second = await forcePasswordReset(admin.actor, (await staffAccount("writer")).id);
    expect(await mailStaffLink(second, ORIGIN)).toEqual({ status: "off", to: second.email });
    expect(received).toHaveLength(0);
  });
});

describe("password resets by mail", () => {
  it("mails the account's address one message whose link sets a new password", async () => {
    useMailTransport(smtpUrl);
    const admin = await staffAccount("admin");
    const target = await staffAccount("writer");
    const link = await forcePasswordReset(admin.actor, target.id);
    const { result: mail, logged } = await logsDuring(() => mailStaffLink(link, ORIGIN));

    expect(mail).toEqual({ status: "sent", to: target.email });
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message!.to).toEqual([target.email]);
    expect(message!.mail.subject).toBe("Choose a new password for Top One Magazine");
    expect(message!.mail.text).toContain(`(${target.email})`);
    expect(message!.mail.text).toContain(`${ORIGIN}${link.path}`);
    const token = tokenIn(message!.mail.text ?? "");
    expect(await readStaffLink(token)).toMatchObject({ kind: "reset", email: target.email });
    await redeemStaffLink(token, { password: NEW_PASSWORD });
    expect(await authenticateStaff(target.email, NEW_PASSWORD, "203.0.113.42")).toMatchObject({ ok: true, staff: { id: target.id } });
    expect(logged).not.toContain(token);
  });
});

describe("message text", () => {
  it("takes the site name and time zone from the settings, escapes them in the HTML part and keeps the subject one line", async () => {
    const db = await getDb();
    await db.insert(settings).values([
      { key: "name", value: `Ink & <Paper>\n"Weekly"` },
      { key: "timeZone", value: "Europe/Paris" },
    ]);
    try {
      useMailTransport(smtpUrl);
      const admin = await staffAccount("admin");
      const link = await inviteStaff(admin.actor, { email: uniqueEmail("escaped"), role: "admin" });
      expect((await logsDuring(() => mailStaffLink(link, ORIGIN))).result.status).toBe("sent");
      const { mail } = received[0]!;
      expect(mail.subject).toBe(`Your invitation to Ink & <Paper> "Weekly"`);
      expect(mail.html).toContain("Ink &amp; &lt;Paper&gt;\n&quot;Weekly&quot;");
      expect(mail.html).not.toContain("<Paper>");
      expect(mail.text).toContain("as an admin");
      expect(mail.text).toMatch(/until \d{1,2} \w+ \d{4} at \d{2}:\d{2} \(Europe\/Paris\)/);
    } finally {
      await db.delete(settings).where(eq(settings.key, "name"));
      await db.delete(settings).where(eq(settings.key, "timeZone"));
    }
  });
});
