import { afterEach, describe, expect, it } from "vitest";
import { isPrivateAddress, safeFetch, setSafeFetchDefaultsForTests } from "@/lib/http/safe-fetch";
import { failure } from "../../fixtures/builders";
import { useLocalServer } from "./helpers";

const base = useLocalServer({
  "/ok": (_q, s) => s.writeHead(200, { "Content-Type": "text/plain" }).end("hello"),
  "/to-loopback": (_q, s) => s.writeHead(302, { Location: "http://127.0.0.1:9/secret" }).end(),
  "/to-ok": (_q, s) => s.writeHead(301, { Location: "/ok" }).end(),
  "/loop": (_q, s) => s.writeHead(302, { Location: "/loop" }).end(),
  "/huge": (_q, s) => {
    // no Content-Length: the limit has to be enforced while the body streams
    s.writeHead(200, { "Content-Type": "application/xml" });
    const chunk = Buffer.alloc(64 * 1024, "a");
    let sent = 0;
    const pump = () => {
      while (sent < 8 * 1024 * 1024 && s.write(chunk)) sent += chunk.length;
      if (sent < 8 * 1024 * 1024) s.once("drain", pump);
      else s.end();
    };
    pump();
  },
  "/declared-huge": (_q, s) => s.writeHead(200, { "Content-Length": String(3 * 1024 * 1024) }).end(),
  "/silent": () => {},
  "/missing": (_q, s) => s.writeHead(404).end("gone"),
});

afterEach(() => setSafeFetchDefaultsForTests(null));

describe("safeFetch with private addresses refused (the default)", () => {
  it.each([
    "http://127.0.0.1/",
    "http://localhost:3000/",
    "http://10.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://192.168.1.1/",
    "http://172.16.5.4/",
    "http://224.0.0.1/",
    "http://2130706433/",
  ])("refuses %s with 400", async (url) => {
    const error = await failure(safeFetch(url, { allowPrivate: false }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/private, loopback or link-local/);
  });

  it.each(["file:///etc/passwd", "ftp://example.com/feed", "gopher://127.0.0.1/", "javascript:alert(1)", "not a url", "http://user:pw@example.com/"])("refuses %s", async (url) => {
    expect((await failure(safeFetch(url, { allowPrivate: false }))).status).toBe(400);
  });

  it("refuses a redirect to loopback even when the first host is allowed", async () => {
    // the first hop is allowed by a custom check: only the redirect target is private-and-refused
    setSafeFetchDefaultsForTests({ allowPrivate: true });
    const first = await safeFetch(`${base()}/to-ok`);
    expect(first.body.toString()).toBe("hello");
    setSafeFetchDefaultsForTests({ allowPrivate: false });
    const error = await failure(safeFetch(`${base()}/to-loopback`));
    expect(error.status).toBe(400);
  });

  it("classifies addresses", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "::1", "::ffff:10.0.0.1", "::ffff:7f00:1", "fe80::abcd", "fc00::1", "100.127.255.255", "0.1.2.3", "ff02::1", "64:ff9b::a00:1", "64:ff9b:1::7f00:1", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"]) expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "100.128.0.1", "172.32.0.1", "2001:4860:4860::8888"]) expect(isPrivateAddress(address), address).toBe(false);
  });
});

describe("safeFetch against a local server (private addresses allowed for the test)", () => {
  it("follows a redirect and re-checks it; a redirect to loopback is refused once private addresses are off", async () => {
    setSafeFetchDefaultsForTests({ allowPrivate: true });
    expect((await safeFetch(`${base()}/ok`)).body.toString()).toBe("hello");
    expect((await failure(safeFetch(`${base()}/loop`))).status).toBe(502);
  });

  it("stops an oversized body at the limit with 413, quickly", async () => {
    setSafeFetchDefaultsForTests({ allowPrivate: true });
    const started = Date.now();
    expect((await failure(safeFetch(`${base()}/huge`))).status).toBe(413);
    expect((await failure(safeFetch(`${base()}/declared-huge`))).status).toBe(413);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("gives up on a server that never answers with 504", async () => {
    setSafeFetchDefaultsForTests({ allowPrivate: true, timeoutMs: 1_000 });
    const started = Date.now();
    const error = await failure(safeFetch(`${base()}/silent`));
    expect(error.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("answers 502 for a 404 and for a closed port", async () => {
    setSafeFetchDefaultsForTests({ allowPrivate: true });
    const missing = await failure(safeFetch(`${base()}/missing`));
    expect(missing.status).toBe(502);
    expect(missing.message).toMatch(/404/);
    expect((await failure(safeFetch("http://127.0.0.1:9/"))).status).toBe(502);
  });
});
