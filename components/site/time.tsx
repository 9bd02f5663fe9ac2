const formatter = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

/** A date a person reads, with the machine-readable instant in datetime. */
export function Time({ value, className }: { value: Date; className?: string }) {
  return (
    <time dateTime={value.toISOString()} className={className}>
      {formatter.format(value)}
    </time>
  );
}
