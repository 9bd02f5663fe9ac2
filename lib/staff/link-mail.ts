import "server-only";
import type { Role } from "@/lib/auth/permissions";
import { logInfo, logWarn } from "@/lib/log";
import { mailEnabled, sendMail, type MailMessage, type MailOutcome } from "@/lib/mail";
import { escapeHtml } from "@/lib/rich-text/html";
import { getSiteSettings } from "@/lib/settings";
import type { StaffLink } from "./tokens";

// Invitations and reset links, mailed to the person they are for when SMTP_URL is set. The admin is
// shown the link either way, so a mail that fails only changes what the staff page says; the token
// already exists and stays valid. Neither the link nor the token is ever logged.

export type LinkMail = MailOutcome & { to: string };

type LinkDetails = { siteName: string; timeZone: string; email: string; role: Role; url: string; expiresAt: Date };

const ROLE_WITH_ARTICLE: Record<Role, string> = { admin: "an admin", editor: "an editor", writer: "a writer" };

function until(expiresAt: Date, timeZone: string): string {
  return `${new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone }).format(expiresAt)} (${timeZone})`;
}

/** One message as plain text and as simple HTML, from the same paragraphs around the link. */
function compose(to: string, subject: string, before: string[], url: string, after: string[]): MailMessage {
  const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>\n`;
  return {
    to,
    subject: subject.replace(/\s+/g, " "), // a site name typed with a line break must not start a header
    text: `${[...before, url, ...after].join("\n\n")}\n`,
    html: `<!doctype html>\n<html><body>\n${before.map(paragraph).join("")}<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>\n${after.map(paragraph).join("")}</body></html>\n`,
  };
}

export function inviteMessage(details: LinkDetails): MailMessage {
  const { siteName, email, role, url } = details;
  return compose(
    email,
    `Your invitation to ${siteName}`,
    ["Hello,", `You are invited to join the staff of ${siteName} as ${ROLE_WITH_ARTICLE[role]}. Open this link to choose your name and password:`],
    url,
    [`The link works once, until ${until(details.expiresAt, details.timeZone)}. If you did not expect this invitation, ignore this mail.`],
  );
}

export function resetMessage(details: LinkDetails): MailMessage {
  const { siteName, email, url } = details;
  return compose(
    email,
    `Choose a new password for ${siteName}`,
    [
      "Hello,",
      `An admin of ${siteName} has reset the password of your staff account (${email}): the old password no longer works and you have been signed out everywhere. Open this link to choose a new one:`,
    ],
    url,
    [`The link works once, until ${until(details.expiresAt, details.timeZone)}. If you did not expect this, ask an admin of ${siteName}.`],
  );
}

/**
 * Mails a link just made by inviteStaff or forcePasswordReset, as an absolute URL on `origin` (the
 * one the admin uses, so the mailed link is the one shown). Never throws.
 */
export async function mailStaffLink(link: StaffLink, origin: string): Promise<LinkMail> {
  const to = link.email;
  if (!mailEnabled()) return { status: "off", to };
  let outcome: MailOutcome;
  try {
    const site = await getSiteSettings();
    const details = { siteName: site.name, timeZone: site.timeZone, email: to, role: link.role, url: new URL(link.path, origin).toString(), expiresAt: link.expiresAt };
    outcome = await sendMail(link.kind === "invite" ? inviteMessage(details) : resetMessage(details));
  } catch (error) {
    outcome = { status: "failed", reason: error instanceof Error ? error.message : String(error) };
  }
  if (outcome.status === "failed") logWarn("staff link mail failed", { kind: link.kind, to, reason: outcome.reason });
  else logInfo("staff link mailed", { kind: link.kind, to });
  return { ...outcome, to };
}

/** What the staff page should say about the mail, as query parameters to append; none when mail is off. */
export function linkMailQuery(mail: LinkMail): string {
  if (mail.status === "off") return "";
  const params = new URLSearchParams({ mail: mail.status, to: mail.to });
  if (mail.status === "failed") params.set("reason", mail.reason);
  return `&${params}`;
}
