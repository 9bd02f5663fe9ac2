import { getSiteSettings } from "@/lib/settings";

const formats = new Map<string, { date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>();

function formatsFor(timeZone: string) {
  let pair = formats.get(timeZone);
  if (!pair) {
    pair = {
      date: new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone }),
      dateTime: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short" }),
    };
    formats.set(timeZone, pair);
  }
  return pair;
}

/**
 * A date a person reads. The server writes it in the magazine's time zone (site settings), which is
 * what readers without JavaScript and crawlers see; the page's small script rewrites it in the
 * reader's own time zone and locale (data-local), so cached pages still read in the reader's terms.
 */
export async function Time({ value, withTime = false, className }: { value: string; withTime?: boolean; className?: string }) {
  const date = new Date(value);
  const { timeZone } = await getSiteSettings();
  const format = formatsFor(timeZone);
  return (
    <time dateTime={date.toISOString()} data-local={withTime ? "datetime" : "date"} className={className} suppressHydrationWarning>
      {/* one text node: the page script replaces it, and React must find the same shape when hydrating */}
      {withTime ? format.dateTime.format(date) : format.date.format(date)}
    </time>
  );
}
