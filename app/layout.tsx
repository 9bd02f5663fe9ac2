import type { Metadata, Viewport } from "next";
import { siteOrigin } from "@/lib/seo/site-url";
import "./globals.css";

export const metadata: Metadata = {
  metadataBase: new URL(siteOrigin()),
  title: { default: "Top One Magazine", template: "%s · Top One Magazine" },
  description: "News, ideas and long reads from Top One Magazine.",
  alternates: { types: { "application/rss+xml": "/feed.xml" } },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fbfaf7" },
    { media: "(prefers-color-scheme: dark)", color: "#131417" },
  ],
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // reader layouts add the theme script (it needs 'unsafe-inline', which only the reader policy allows)
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
