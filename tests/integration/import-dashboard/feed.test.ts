import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { articleAuthors, articles } from "@/db/schema";
import type { StaffSession } from "@/lib/auth/session";
import { setSafeFetchDefaultsForTests } from "@/lib/http/safe-fetch";
import { paragraphTexts } from "@/lib/rich-text/plain-text";
import { countRows, makeStaff } from "../../fixtures/builders";
import { sessionOf, useLocalServer, xml, type Staff } from "./helpers";

let session: StaffSession | null = null;
vi.mock("@/lib/auth/session", async () => (await import("../../fixtures/session-mock")).sessionModuleAnswering(() => session));

const { POST: importFeedRoute } = await import("@/app/api/staff/import/feed/route");

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
  <title>Wire &amp; Co</title><link>https://wire.example/</link>
  <item><title>First wire story</title><link>https://wire.example/1</link><description>&lt;p&gt;Para one.&lt;/p&gt;&lt;p&gt;Para two &amp;amp; more.&lt;/p&gt;</description></item>
  <item><title><![CDATA[Second <em>wire</em> story]]></title><link>https://wire.example/2</link><description>Plain summary.</description></item>
  <item><title>Third wire story</title><link>https://wire.example/3</link><content:encoded><![CDATA[<div>Full text</div>]]></content:encoded></item>
  <item><title>No link here</title><description>x</description></item>
</channel></rss>`;

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Atom Desk</title><id>urn:x</id>
  <entry><title>Atom one</title><link rel="alternate" href="/a/1"/><id>urn:1</id><summary type="html">&lt;b&gt;Bold&lt;/b&gt; summary</summary></entry>
  <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>Atom two</b></div></title><link href="https://atom.example/a/2"/><id>urn:2</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>X one</p></div></content></entry>
</feed>`;

const hostile = `<?xml version="1.0"?><rss version="2.0"><channel><title>&lt;script&gt;alert(1)&lt;/script&gt;Evil Feed</title>
  <item><title>&lt;img src=x onerror=alert(1)&gt;Clean &lt;b&gt;title&lt;/b&gt;&lt;script&gt;steal()&lt;/script&gt;</title><link>https://evil.example/1</link>
  <description>&lt;script&gt;document.cookie&lt;/script&gt;&lt;style&gt;p{}&lt;/style&gt;&lt;p onclick="x()"&gt;Safe &amp;lt;text&amp;gt; only&lt;/p&gt;&lt;iframe src="javascript:alert(1)"&gt;&lt;/iframe&gt;</description></item>
</channel></rss>`;

const base = useLocalServer({
  "/rss.xml": xml(rss),
  "/atom.xml": xml(atom, "application/atom+xml"),
  "/hostile.xml": xml(hostile),
  "/not-a-feed": xml("<html><body>hi</body></html>", "text/html"),
  "/missing.xml": (_q, s) => s.writeHead(404).end(),
});

let writer: Staff;
beforeAll(async () => {
  writer = await makeStaff("writer", "Feed Writer");
  setSafeFetchDefaultsForTests({ allowPrivate: true });
});
afterAll(() => setSafeFetchDefaultsForTests(null));

const post = (fields: Record<string, string>) =>
  importFeedRoute(new Request("http://localhost/api/staff/import/feed", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) }));

async function byLinks(links: string[]) {
  const db = await getDb();
  return db.select().from(articles).where(inArray(articles.sourceUrl, links)).orderBy(articles.sourceUrl);
}

describe("importing a feed", () => {
  it("makes one draft per RSS item with the source attribution, and none on a second run", async () => {
    session = sessionOf(writer);
    const first = await post({ url: `${base()}/rss.xml`, count: "20" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/editor/import?created=3&existing=0&skipped=1");
    const rows = await byLinks(["https://wire.example/1", "https://wire.example/2", "https://wire.example/3"]);
    expect(rows.map((r) => [r.title, r.status, r.sourceName, r.createdBy])).toEqual([
      ["First wire story", "draft", "Wire & Co", writer.id],
      ["Second wire story", "draft", "Wire & Co", writer.id],
      ["Third wire story", "draft", "Wire & Co", writer.id],
    ]);
    expect(paragraphTexts(rows[0]!.body as never)).toEqual(["Para one.", "Para two & more."]);
    expect(paragraphTexts(rows[2]!.body as never)).toEqual(["Full text"]);
    const db = await getDb();
    expect((await db.select().from(articleAuthors).where(eq(articleAuthors.articleId, rows[0]!.id))).map((a) => a.userId)).toEqual([writer.id]);

    const before = await countRows({ articles });
    const again = await post({ url: `${base()}/rss.xml`, count: "20" });
    expect(again.headers.get("location")).toBe("/editor/import?created=0&existing=3&skipped=1");
    expect(await countRows({ articles })).toEqual(before);
  });

  it("takes only the first N items of an Atom feed, resolving relative links", async () => {
    session = sessionOf(writer);
    const first = await post({ url: `${base()}/atom.xml`, count: "1" });
    expect(first.headers.get("location")).toBe("/editor/import?created=1&existing=0&skipped=0");
    const [one] = await byLinks([`${base()}/a/1`]);
    expect(one).toMatchObject({ title: "Atom one", sourceName: "Atom Desk", status: "draft" });
    expect(paragraphTexts(one!.body as never)).toEqual(["Bold summary"]);
    const second = await post({ url: `${base()}/atom.xml`, count: "2" });
    expect(second.headers.get("location")).toBe("/editor/import?created=1&existing=1&skipped=0");
    const [two] = await byLinks(["https://atom.example/a/2"]);
    expect(two?.title).toBe("Atom two");
    expect(paragraphTexts(two!.body as never)).toEqual(["X one"]);
  });

  it("keeps only the text of HTML and scripts in titles and descriptions", async () => {
    session = sessionOf(writer);
    await post({ url: `${base()}/hostile.xml`, count: "5" });
    const [row] = await byLinks(["https://evil.example/1"]);
    expect(row!.title).toBe("Clean title");
    expect(row!.sourceName).toBe("Evil Feed");
    expect(paragraphTexts(row!.body as never)).toEqual(["Safe <text> only"]);
    expect(JSON.stringify(row!.body)).not.toMatch(/script|onclick|iframe|onerror|document\.cookie/);
  });

  it("answers with the fetch's status: 400 for a bad count or a non-feed, 502 for a 404", async () => {
    session = sessionOf(writer);
    expect((await post({ url: `${base()}/rss.xml`, count: "0" })).status).toBe(400);
    expect((await post({ url: `${base()}/rss.xml`, count: "21" })).status).toBe(400);
    expect((await post({})).status).toBe(400);
    expect((await post({ url: `${base()}/not-a-feed`, count: "5" })).status).toBe(400);
    expect((await post({ url: `${base()}/missing.xml`, count: "5" })).status).toBe(502);
    session = null;
    expect((await post({ url: `${base()}/rss.xml`, count: "5" })).status).toBe(401);
  });

  it("refuses loopback feeds when the setting is off", async () => {
    session = sessionOf(writer);
    setSafeFetchDefaultsForTests({ allowPrivate: false });
    try {
      const response = await post({ url: `${base()}/rss.xml`, count: "5" });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/private, loopback or link-local/);
    } finally {
      setSafeFetchDefaultsForTests({ allowPrivate: true });
    }
  });
});
