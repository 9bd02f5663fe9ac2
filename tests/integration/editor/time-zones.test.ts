import { describe, expect, it } from "vitest";
import { zonedTimeToUtc } from "@/lib/time-zones";

// The editor schedules "2026-07-01T09:30" in a chosen time zone: the wall-clock time there, as an
// instant, across daylight-saving changes; anything malformed or impossible is null (the workflow
// then asks for a date, a time and a zone), never a silently shifted date.

const iso = (local: string, zone: string) => zonedTimeToUtc(local, zone)?.toISOString() ?? null;

describe("zonedTimeToUtc", () => {
  it("Europe/Paris: summer time (UTC+2) and winter time (UTC+1)", () => {
    expect(iso("2026-07-01T09:30", "Europe/Paris")).toBe("2026-07-01T07:30:00.000Z");
    expect(iso("2026-12-01T09:30", "Europe/Paris")).toBe("2026-12-01T08:30:00.000Z");
  });

  it("America/New_York on either side of both DST changes", () => {
    // 2026: DST starts Sunday 8 March at 02:00, ends Sunday 1 November at 02:00
    expect(iso("2026-03-07T09:00", "America/New_York")).toBe("2026-03-07T14:00:00.000Z");
    expect(iso("2026-03-08T01:59", "America/New_York")).toBe("2026-03-08T06:59:00.000Z");
    expect(iso("2026-03-08T03:00", "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(iso("2026-03-09T09:00", "America/New_York")).toBe("2026-03-09T13:00:00.000Z");
    expect(iso("2026-10-31T09:00", "America/New_York")).toBe("2026-10-31T13:00:00.000Z");
    expect(iso("2026-11-01T03:00", "America/New_York")).toBe("2026-11-01T08:00:00.000Z");
    expect(iso("2026-11-02T09:00", "America/New_York")).toBe("2026-11-02T14:00:00.000Z");
  });

  it("an hour that happens twice (fall back) is the first of the two; one that never happens (spring forward) moves forward by the gap, never earlier", () => {
    expect(iso("2026-11-01T01:30", "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    expect(iso("2026-10-25T02:30", "Europe/Paris")).toBe("2026-10-25T00:30:00.000Z");
    // 02:30 on 8 March does not exist in New York: it is 03:30 EDT, as Temporal's "compatible"
    expect(iso("2026-03-08T02:30", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    expect(iso("2026-03-08T02:00", "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(iso("2026-03-29T02:15", "Europe/Paris")).toBe("2026-03-29T01:15:00.000Z");
    // a half-hour change (Lord Howe, UTC+10:30 to +11 on 4 October 2026): 02:15 is 02:45 +11
    expect(iso("2026-10-04T02:15", "Australia/Lord_Howe")).toBe("2026-10-03T15:45:00.000Z");
  });

  it("other zones: UTC, half-hour and southern-hemisphere offsets, the date line", () => {
    expect(iso("2026-07-01T09:30", "UTC")).toBe("2026-07-01T09:30:00.000Z");
    expect(iso("2026-07-01T09:30", "Asia/Kolkata")).toBe("2026-07-01T04:00:00.000Z");
    expect(iso("2026-01-15T09:30", "Australia/Sydney")).toBe("2026-01-14T22:30:00.000Z");
    expect(iso("2026-07-15T09:30", "Australia/Sydney")).toBe("2026-07-14T23:30:00.000Z");
    expect(iso("2026-07-01T00:15", "Pacific/Kiritimati")).toBe("2026-06-30T10:15:00.000Z");
    expect(iso("2028-02-29T12:00", "Europe/London")).toBe("2028-02-29T12:00:00.000Z");
  });

  it("is null for an unknown or empty time zone", () => {
    for (const zone of ["Mars/Olympus_Mons", "Europe/Pariss", "", "../../etc/localtime", "Europe/Paris\u0000"]) {
      expect(zonedTimeToUtc("2026-07-01T09:30", zone), JSON.stringify(zone)).toBeNull();
    }
  });

  it("is null for malformed input", () => {
    for (const local of ["", "2026-07-01", "2026-07-01 09:30", "2026-07-01T09:30:00", "2026-07-01T09:30Z", "2026-7-1T9:30", "tomorrow", " 2026-07-01T09:30", "2026-07-01T09:30\n", "２０２６-07-01T09:30"]) {
      expect(zonedTimeToUtc(local, "Europe/Paris"), JSON.stringify(local)).toBeNull();
    }
  });

  it("is null for dates that do not exist: 30 February, 29 February in a common year, 31 April", () => {
    for (const local of ["2026-02-30T09:30", "2026-02-29T09:30", "2026-04-31T09:30", "2026-02-00T09:30"]) {
      expect(zonedTimeToUtc(local, "Europe/Paris"), local).toBeNull();
    }
  });

  it("is null for months and times out of range rather than rolling them into another date", () => {
    for (const local of ["2026-13-01T09:30", "2026-00-10T09:30", "2026-99-01T09:30", "2026-07-01T24:00", "2026-07-01T25:30", "2026-07-01T09:60", "2026-07-01T09:99", "0050-01-01T00:00"]) {
      expect(zonedTimeToUtc(local, "Europe/Paris"), local).toBeNull();
    }
  });
});
