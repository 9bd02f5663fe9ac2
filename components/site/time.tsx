const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

/**
 * A date a person reads. The server writes it in UTC; the page's small script rewrites it in the
 * reader's own time zone and locale (data-local), so cached pages still read in the reader's terms.
 */
export function Time({ value, withTime = false, className }: { value: string; withTime?: boolean; className?: string }) {
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()} data-local={withTime ? "datetime" : "date"} className={className} suppressHydrationWarning>
      {/* one text node: the page script replaces it, and React must find the same shape when hydrating */}
      {withTime ? `${dateTimeFormat.format(date)} UTC` : dateFormat.format(date)}
    </time>
  );
}
