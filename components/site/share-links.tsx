/** Plain share links: no third-party scripts, no tracking pixels. */
export function ShareLinks({ url, title }: { url: string; title: string }) {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  const links = [
    { name: "Email", href: `mailto:?subject=${t}&body=${u}` },
    { name: "X", href: `https://x.com/intent/post?url=${u}&text=${t}` },
    { name: "Facebook", href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { name: "LinkedIn", href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}` },
    { name: "Bluesky", href: `https://bsky.app/intent/compose?text=${t}%20${u}` },
  ];
  return (
    <nav aria-label="Share this article" className="no-print mt-8 flex flex-wrap items-center gap-3 text-sm">
      <span className="font-semibold">Share:</span>
      {links.map((link) => (
        <a key={link.name} href={link.href} rel="noopener noreferrer nofollow" target="_blank" className="underline underline-offset-4">
          {link.name}
          <span className="sr-only"> (opens in a new tab)</span>
        </a>
      ))}
    </nav>
  );
}
