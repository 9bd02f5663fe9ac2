import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Field, ImageSetting, Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { can } from "@/lib/auth/permissions";
import { requireStaffSession } from "@/lib/auth/session";
import { getSiteSettings } from "@/lib/settings";

export const metadata: Metadata = { title: "Site settings" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SettingsPage({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor/settings");
  if (!can(staff.actor, "settings:manage")) notFound();
  const site = await getSiteSettings();
  const { error, done } = await searchParams;
  return (
    <EditorShell staff={staff} title="Site settings">
      <div className="mt-6 max-w-xl space-y-4">
        {typeof error === "string" && <Notice tone="error">{error}</Notice>}
        {done && <Notice tone="info">Saved. Readers see it on their next page.</Notice>}
        <form method="post" action="/api/staff/settings" className="space-y-4">
          <Field name="name" label="Site name" maxLength={80} defaultValue={site.name} />
          <Field name="description" label="Description (search results and link previews)" maxLength={300} defaultValue={site.description} required={false} />
          <Field name="timeZone" label="Time zone" maxLength={64} defaultValue={site.timeZone} hint="An IANA name such as Europe/Paris, America/New_York or UTC." />
          <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
            Save settings
          </button>
        </form>
        <h2 className="pt-6 font-serif text-2xl font-bold">Logo</h2>
        <ImageSetting
          action="/api/staff/settings/images"
          kind="logo"
          label="Logo"
          hint="Replaces the site name at the top of every page, and names the publisher in search results. A wide image on a transparent background works best."
          current={site.logo}
          removeLabel="Remove logo"
        />
        <h2 className="pt-6 font-serif text-2xl font-bold">Social image</h2>
        <ImageSetting
          action="/api/staff/settings/images"
          kind="social-image"
          label="Default social image"
          hint="Shown when a page without its own image is shared. 1200 × 630 pixels works best."
          current={site.socialImage}
          removeLabel="Remove social image"
        />
      </div>
    </EditorShell>
  );
}
