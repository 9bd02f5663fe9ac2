// Converting a wall-clock time in a named time zone ("2026-11-26T09:30" in Europe/Paris) to an
// instant, with Intl only: the editor schedules in the time zone the editor chooses.

/** The instant, or null for a malformed time or an unknown zone. */
export function zonedTimeToUtc(local: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  let offsetOf: (instant: Date) => number;
  try {
    const format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    offsetOf = (instant) => {
      const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
      const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
      return asUtc - instant.getTime();
    };
  } catch {
    return null;
  }
  const wallClock = Date.UTC(year, month - 1, day, hour, minute);
  // no rolling over: month 13, minute 60 or 30 February is not a date (and Date.UTC reads years 0–99 as 19xx)
  const parsed = new Date(wallClock);
  if (Number.isNaN(wallClock) || hour > 23 || minute > 59 || parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) return null;
  // As Temporal's "compatible" disambiguation: the offsets in force a day before and a day after
  // (no zone changes twice in two days) give the candidates; a time that happens twice (clocks go
  // back) is the earlier one, and one that never happens (clocks go forward) moves forward by the
  // gap, so 02:30 on a spring-forward night in New York is 03:30 EDT, never an hour early.
  const DAY = 24 * 60 * 60 * 1000;
  const before = wallClock - offsetOf(new Date(wallClock - DAY));
  const after = wallClock - offsetOf(new Date(wallClock + DAY));
  const exists = (instant: number) => instant + offsetOf(new Date(instant)) === wallClock;
  if (exists(before) && exists(after)) return new Date(Math.min(before, after));
  if (exists(after)) return new Date(after);
  return new Date(before);
}
