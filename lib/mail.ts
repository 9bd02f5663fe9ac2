import "server-only";
import { createTransport, type Transporter } from "nodemailer";
import { parseConnectionUrl } from "nodemailer/lib/shared";
import { getEnv } from "@/lib/env";

// Outgoing mail through the SMTP server in SMTP_URL; without it the magazine sends none. Sending
// never throws: the caller gets what happened and decides what to tell the person waiting.

export type MailMessage = { to: string; subject: string; text: string; html: string };
export type MailOutcome = { status: "sent" } | { status: "failed"; reason: string } | { status: "off" };

// a person is waiting on the page that sends: a silent server must not hold them for minutes
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

let transport: Transporter | null | undefined; // undefined: not made yet; null: mail is off

function transportFor(smtpUrl: string): Transporter {
  // nodemailer's own URL reading, so query options such as ?tls.rejectUnauthorized=false work;
  // handing it the URL string directly would drop the timeouts
  return createTransport({ ...TIMEOUTS, ...parseConnectionUrl(smtpUrl) });
}

function currentTransport(): Transporter | null {
  if (transport === undefined) {
    const url = getEnv().SMTP_URL;
    transport = url ? transportFor(url) : null;
  }
  return transport;
}

export function mailEnabled(): boolean {
  return currentTransport() !== null;
}

/** Sends one message from MAIL_FROM; a failure comes back as a reason, never as an exception. */
export async function sendMail(message: MailMessage): Promise<MailOutcome> {
  try {
    const current = currentTransport();
    if (!current) return { status: "off" };
    const info = await current.sendMail({ from: getEnv().MAIL_FROM, ...message });
    if (Array.isArray(info.rejected) && info.rejected.length > 0) return { status: "failed", reason: "the mail server refused the address" };
    return { status: "sent" };
  } catch (error) {
    // nodemailer's messages name the server and the step ("connect ECONNREFUSED 127.0.0.1:25"), never the message
    return { status: "failed", reason: (error instanceof Error ? error.message : String(error)).slice(0, 300) };
  }
}

/** Tests send through an SMTP server of their own (a URL), or turn mail off (null). */
export function useMailTransport(smtpUrl: string | null): void {
  transport?.close();
  transport = smtpUrl ? transportFor(smtpUrl) : null;
}
