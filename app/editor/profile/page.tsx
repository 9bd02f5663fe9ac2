import type { Metadata } from "next";
import { Field, ImageSetting, NewPasswordField, Notice } from "@/components/editor/form-fields";
import { EditorShell } from "@/components/editor/shell";
import { requireStaffSession } from "@/lib/auth/session";
import { getOwnProfile } from "@/lib/staff/profile";

export const metadata: Metadata = { title: "Your profile" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ProfilePage({ searchParams }: Props) {
  const staff = await requireStaffSession("/editor/profile");
  const profile = await getOwnProfile(staff.actor);
  const { error, done } = await searchParams;
  return (
    <EditorShell staff={staff} title="Your profile">
      <div className="mt-6 max-w-xl space-y-4">
        {typeof error === "string" && <Notice tone="error">{error}</Notice>}
        {done === "profile" && (
          <Notice tone="info">
            Saved. It shows on <a href={`/author/${profile.slug}`} className="underline">your author page</a> and in your bylines.
          </Notice>
        )}
        <form method="post" action="/api/staff/profile" className="space-y-4">
          <Field name="name" label="Name (as it appears in bylines)" autoComplete="name" maxLength={120} defaultValue={profile.name} />
          <div>
            <label htmlFor="bio" className="block text-sm font-semibold">
              Bio
            </label>
            <textarea id="bio" name="bio" rows={5} maxLength={2000} defaultValue={profile.bio ?? ""} aria-describedby="bio-hint" className="mt-1 w-full rounded border border-rule bg-paper px-3 py-2" />
            <p id="bio-hint" className="mt-1 text-sm text-muted">
              Plain text, shown on your author page.
            </p>
          </div>
          <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
            Save profile
          </button>
        </form>
        <h2 className="pt-6 font-serif text-2xl font-bold">Photo</h2>
        {done === "photo" && <Notice tone="info">Your photo was updated.</Notice>}
        <ImageSetting
          action="/api/staff/profile/photo"
          label="Profile photo"
          hint="Shown on your author page. A square crop of your face works best."
          current={profile.photo ? { src: profile.photo, alt: `Photo of ${profile.name}` } : null}
          removeLabel="Remove photo"
        />
        <h2 className="pt-6 font-serif text-2xl font-bold">Password</h2>
        <form method="post" action="/api/staff/password" className="space-y-4">
          <Field name="current" label="Current password" type="password" autoComplete="current-password" maxLength={1024} />
          <NewPasswordField name="next" label="New password" hint="you will sign in again." />
          <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
            Change password
          </button>
        </form>
      </div>
    </EditorShell>
  );
}
