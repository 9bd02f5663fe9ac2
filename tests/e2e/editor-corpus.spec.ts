import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { e2eAdmin, staffCookie } from "../fixtures/e2e-staff";
import { sharedDir } from "../fixtures/shared";

// The SQL-injection and path corpora against the newsroom's filters and routes, signed in: never a
// 5xx, never database or stack text in the answer (security-corpus/README.md).
const { baseUrl, editor } = inject("e2e");

const lines = (file: string) => fs.readFileSync(path.join(sharedDir, "security-corpus", file), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
const LEAKS = /syntax error|PostgreSQL|DrizzleQueryError|at async|node_modules|pg_catalog/i;

describe("the hostile corpora against the newsroom", () => {
  it("answers every sqli.txt line in every list filter, sort and page parameter without a 5xx or a leak", async () => {
    const editorCookie = await staffCookie(baseUrl, editor);
    const adminCookie = await staffCookie(baseUrl, e2eAdmin);
    const failures: string[] = [];
    for (const payload of lines("sqli.txt")) {
      const value = encodeURIComponent(payload);
      const urls: [string, string][] = [
        [`/editor?q=${value}`, editorCookie],
        [`/editor?status=${value}`, editorCookie],
        [`/editor?section=${value}`, editorCookie],
        [`/editor?author=${value}`, editorCookie],
        [`/editor?sort=${value}`, editorCookie],
        [`/editor?page=${value}`, editorCookie],
        [`/editor/media?q=${value}`, editorCookie],
        [`/editor/tags?q=${value}`, editorCookie],
        [`/editor/audit?entity=${value}&actor=${value}&page=${value}`, adminCookie],
      ];
      for (const [url, cookie] of urls) {
        const response = await fetch(`${baseUrl}${url}`, { headers: { cookie }, redirect: "manual" });
        const text = await response.text();
        if (response.status >= 500 || LEAKS.test(text)) failures.push(`${response.status} ${url}`);
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it("answers every paths.txt segment on the article editor's pages and routes without a 5xx", async () => {
    const cookie = await staffCookie(baseUrl, editor);
    const failures: string[] = [];
    for (const segment of lines("paths.txt")) {
      const requests: [string, string][] = [
        ["GET", `/editor/articles/${segment}`],
        ["GET", `/editor/articles/${segment}/revisions`],
        ["GET", `/api/staff/articles/${segment}/preview`],
        ["POST", `/api/staff/articles/${segment}`],
        ["POST", `/api/staff/articles/${segment}/publish`],
        ["POST", `/api/staff/media/${segment}`],
        ["GET", `/preview/${segment}`],
      ];
      for (const [method, url] of requests) {
        const response = await fetch(`${baseUrl}${url}`, { method, headers: { Origin: baseUrl, cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: method === "POST" ? "version=1" : undefined, redirect: "manual" }).catch(() => null);
        if (!response) continue; // the client refused to send it (an invalid URL): nothing reached the server
        const text = await response.text();
        if (response.status >= 500 || LEAKS.test(text) || /root:x:0:0/.test(text)) failures.push(`${response.status} ${method} ${url}`);
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
