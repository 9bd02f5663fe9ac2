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
 * reader's own time zone (data-local), so cached pages still read in the reader's terms.
 * The page passes the time zone in: a synchronous component renders in line, where one awaiting the
 * settings itself would cost every card on a listing its own streamed chunk.
 */
export function Time({ value, timeZone, withTime = false, className }: { value: string; timeZone: string; withTime?: boolean; className?: string }) {
  const date = new Date(value);
  const format = formatsFor(timeZone);
  return (
    <time dateTime={date.toISOString()} data-local={withTime ? "datetime" : "date"} className={className} suppressHydrationWarning>
      {/* one text node: the page script replaces it, and React must find the same shape when hydrating */}
      {withTime ? format.dateTime.format(date) : format.date.format(date)}
    </time>
  );
}
