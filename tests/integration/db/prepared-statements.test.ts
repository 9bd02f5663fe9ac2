import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { StatementNames } from "@/db/prepared-statements";
import { articles } from "@/db/schema";
import { adminQuery, createTestDatabase, databaseUrl, testServerUrl } from "../../fixtures/database";

// Frequent statements run prepared (db/prepared-statements.ts) on whichever database this run uses:
// the same answers and errors as unprepared, and still correct after a table changes shape.

let handle: DatabaseHandle;
beforeAll(async () => {
  const template = inject("databaseTemplate");
  if (template.kind === "postgres") {
    // one connection, so pg_prepared_statements (per connection) shows what this pool prepared
    const serverUrl = testServerUrl()!;
    const name = `magazine_test_prepared_${randomBytes(4).toString("hex")}`;
    await adminQuery(serverUrl, `create database ${name} template ${template.name}`);
    const opened = await openDatabase({ kind: "postgres", url: databaseUrl(serverUrl, name), poolSize: 1 });
    handle = { ...opened, close: () => opened.close().then(() => adminQuery(serverUrl, `drop database ${name} with (force)`)) };
  } else {
    handle = await createTestDatabase(template);
  }
});
afterAll(() => handle?.close());

const preparedTexts = async () => (await handle.db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`)).rows.map((r) => r.statement);

describe("prepared statements", () => {
  it("prepares a statement from its third use and answers exactly as before", async () => {
    await handle.db.insert(articles).values({ slug: "prepared-one", title: "One", body: { type: "doc", content: [{ type: "paragraph" }] } });
    const read = () =>
      handle.db.select({ slug: articles.slug, title: articles.title, body: articles.body, createdAt: articles.createdAt, isFeatured: articles.isFeatured }).from(articles).where(eq(articles.slug, "prepared-one"));
    const first = await read();
    expect(first).toEqual([{ slug: "prepared-one", title: "One", body: { type: "doc", content: [{ type: "paragraph" }] }, createdAt: expect.any(Date), isFeatured: false }]);
    expect((await preparedTexts()).some((text) => text.includes('"prepared-one"') || text.includes("where \"articles\".\"slug\" = $1"))).toBe(false);
    for (let i = 0; i < 4; i++) expect(await read()).toEqual(first);
    const prepared = (await preparedTexts()).filter((text) => text.startsWith('select "slug", "title", "body", "created_at", "is_featured" from "articles"'));
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toContain("$1"); // the value is a parameter, not part of the text
    // another value through the same prepared statement
    await handle.db.insert(articles).values({ slug: "prepared-two", title: "Two", body: { type: "doc", content: [] } });
    const two = await handle.db.select({ slug: articles.slug, title: articles.title, body: articles.body, createdAt: articles.createdAt, isFeatured: articles.isFeatured }).from(articles).where(eq(articles.slug, "prepared-two"));
    expect(two).toEqual([expect.objectContaining({ slug: "prepared-two", title: "Two" })]);
  });

  it("leaves a statement run once or twice unprepared", async () => {
    await handle.db.execute(sql`select ${"rare"}::text as once`);
    await handle.db.execute(sql`select ${"rare"}::text as twice`);
    await handle.db.execute(sql`select ${"rare"}::text as twice`);
    expect((await preparedTexts()).filter((text) => /as (once|twice)/.test(text))).toEqual([]);
  });

  it("keeps answering when a table it reads changes shape", async () => {
    await handle.db.execute(sql`create table prepared_probe (a int)`);
    await handle.db.execute(sql`insert into prepared_probe values (1)`);
    for (let i = 0; i < 4; i++) expect((await handle.db.execute(sql`select * from prepared_probe`)).rows).toEqual([{ a: 1 }]);
    expect(await preparedTexts()).toContain("select * from prepared_probe");
    await handle.db.execute(sql`alter table prepared_probe add column b text default 'x'`);
    expect((await handle.db.execute(sql`select * from prepared_probe`)).rows).toEqual([{ a: 1, b: "x" }]);
    expect((await handle.db.execute(sql`select * from prepared_probe`)).rows).toEqual([{ a: 1, b: "x" }]);
  });

  it("reports a failing prepared statement's error with its code, and the statement goes on working", async () => {
    await handle.db.execute(sql`create table prepared_unique (v text primary key)`);
    const insert = (v: string) => handle.db.execute(sql`insert into prepared_unique (v) values (${v})`);
    for (const v of ["a", "b", "c", "d"]) await insert(v);
    expect(await preparedTexts()).toContain("insert into prepared_unique (v) values ($1)");
    await expect(insert("a")).rejects.toMatchObject({ cause: expect.objectContaining({ code: "23505" }) });
    await insert("e");
    expect((await handle.db.execute(sql`select count(*)::int as n from prepared_unique`)).rows).toEqual([{ n: 5 }]);
  });

  it("answers many concurrent prepared reads, and a transaction between them, each with its own rows", async () => {
    await handle.db.insert(articles).values(Array.from({ length: 20 }, (_, i) => ({ slug: `concurrent-${i}`, title: `Title ${i}`, body: { type: "doc" as const, content: [] } })));
    const read = (i: number) => handle.db.select({ title: articles.title }).from(articles).where(eq(articles.slug, `concurrent-${i}`));
    const [reads, written] = await Promise.all([
      Promise.all(Array.from({ length: 60 }, (_, n) => read(n % 20))),
      handle.db.transaction(async (tx) => {
        await tx.update(articles).set({ title: "Changed in a transaction" }).where(eq(articles.slug, "prepared-one"));
        return (await tx.select({ title: articles.title }).from(articles).where(eq(articles.slug, "prepared-one")))[0]?.title;
      }),
    ]);
    reads.forEach((rows, n) => expect(rows).toEqual([{ title: `Title ${n % 20}` }]));
    expect(written).toBe("Changed in a transaction");
  });
});

describe("which statements are prepared", () => {
  it("names a text from its third use, one name per text, never reusing a refused text's name", () => {
    const names = new StatementNames();
    expect(names.nameFor("select 1")).toBeUndefined();
    expect(names.nameFor("select 1")).toBeUndefined();
    const name = names.nameFor("select 1");
    expect(name).toMatch(/^magazine_\d+$/);
    expect(names.nameFor("select 1")).toBe(name);
    names.nameFor("select 2");
    names.nameFor("select 2");
    expect(names.nameFor("select 2")).not.toBe(name);
    names.refuse("select 1");
    for (let i = 0; i < 5; i++) expect(names.nameFor("select 1")).toBeUndefined();
    expect(names.size).toBe(1);
  });
});
