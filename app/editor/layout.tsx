import type { Metadata } from "next";

export const metadata: Metadata = { title: { default: "Editor", template: "%s · Editor · Top One Magazine" }, robots: { index: false, follow: false } };

// The staff side: every page is per-request (sessions), never cached or indexed.
export const dynamic = "force-dynamic";

export default function EditorLayout({ children }: { children: React.ReactNode }) {
  return <div className="min-h-screen">{children}</div>;
}
