import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Field, FormCard, NewPasswordField, Notice } from "@/components/editor/form-fields";
import { readStaffLink } from "@/lib/staff/tokens";

// same-origin: the token in the address never leaves the site (no-referrer would make the form send Origin: null)
export const metadata: Metadata = { title: "Welcome", referrer: "same-origin" };

type Props = { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

// The page behind an invitation or a reset link; 404 once the link is used or expired.
export default async function WelcomePage({ params, searchParams }: Props) {
  const { token } = await params;
  const link = await readStaffLink(token);
  if (!link) notFound();
  const { error } = await searchParams;
  const invite = link.kind === "invite";
  return (
    <FormCard title={invite ? "Join the newsroom" : "Choose a new password"}>
      <p className="text-muted">
        {invite ? `You are invited as ${link.role === "admin" ? "an admin" : `a ${link.role}`} with the email ${link.email}.` : `For ${link.name ?? link.email}.`}
      </p>
      {typeof error === "string" && <Notice tone="error">{error}</Notice>}
      <form method="post" action={`/api/staff/welcome/${token}`} className="space-y-4">
        {invite && <Field name="name" label="Your name (as it appears in bylines)" autoComplete="name" maxLength={120} />}
        <NewPasswordField name="password" label="Password" />
        <button type="submit" className="w-full rounded bg-ink px-4 py-2 font-semibold text-paper">
          {invite ? "Create my account" : "Save my new password"}
        </button>
      </form>
    </FormCard>
  );
}
