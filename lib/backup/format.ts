import fs from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

// The backup file: JSON lines, gzip-compressed (a decompressed copy reads back too). Line 1 is the
// header, then one line per row, table by table in foreign-key order, then one line per media file,
// and last an end marker with the counts, so a file cut at a line boundary is still caught:
//
//   {"format":"top-one-magazine-backup","version":1,"createdAt":"…","secrets":false,"tables":[{"name":"users","columns":[…],"deferred":[…]},…]}
//   {"table":"users","row":{…}}
//   {"media":"<storage key>","bytes":"<base64>"}
//   {"end":true,"rows":{"users":4,…},"media":12,"missingMedia":[]}
//
// Rows are Postgres's own to_jsonb() text, written and read back verbatim: timestamps keep their
// microseconds, jsonb its numbers (1.50, integers past 2^53), bytea its hex. Nothing is parsed into
// JavaScript values on the way through.

export const BACKUP_FORMAT = "top-one-magazine-backup";
export const BACKUP_VERSION = 1;

export type BackupTable = {
  name: string;
  /** The columns each row holds (generated columns and, without secrets, password hashes left out). */
  columns: string[];
  /** Foreign-key columns in a cycle (users and media point at each other): inserted empty, set at the end. */
  deferred: string[];
};

export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  /** Whether password hashes are included (`--with-secrets`). */
  secrets: boolean;
  tables: BackupTable[];
};

export type BackupEnd = { end: true; rows: Record<string, number>; media: number; missingMedia: string[] };

export type BackupItem =
  /** `row` is the text to insert as written; `values` its parse, for keys and ids only (JavaScript numbers are not exact). */
  | { kind: "row"; table: string; row: string; values: Record<string, unknown>; line: number }
  | { kind: "media"; key: string; bytes: Buffer; line: number }
  | { kind: "end"; end: BackupEnd; line: number };

/** A problem a person can act on; its message is one line and names no internals. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** Any error as one line for a person: no stack, and for a wrapped database error its cause. */
export function oneLine(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const source = cause instanceof Error ? cause : error;
  const message = source instanceof Error ? source.message || (source as NodeJS.ErrnoException).code || source.name : String(source);
  return message.split("\n")[0]!.slice(0, 500);
}

export function headerLine(header: BackupHeader): string {
  return `${JSON.stringify(header)}\n`;
}

// a fixed prefix, so reading a row needs no JSON round trip through JavaScript numbers
const ROW_PREFIX = '{"table":';
const ROW_LINE = /^\{"table":"([a-z_][a-z0-9_]*)","row":(\{.*\})\}$/s;

export function rowLine(table: string, rowJson: string): string {
  return `${ROW_PREFIX}${JSON.stringify(table)},"row":${rowJson}}\n`;
}

export function mediaLine(key: string, bytes: Uint8Array): string {
  return `{"media":${JSON.stringify(key)},"bytes":"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}"}\n`;
}

export function endLine(end: Omit<BackupEnd, "end">): string {
  return `${JSON.stringify({ end: true, ...end })}\n`;
}

/** Opens a backup for reading and checks its header, before anything touches a database. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const reader = openBackup(file);
  try {
    return await reader.header;
  } finally {
    await reader.close();
  }
}

/** Reads a backup line by line: `header` first, then `items()` (rows, media, the end marker). */
export function openBackup(file: string): { header: Promise<BackupHeader>; items(): AsyncGenerator<BackupItem>; close(): Promise<void> } {
  const name = file;
  let input: Readable | undefined;
  const lines = (async function* () {
    input = await openInput(name);
    yield* splitLines(input, name);
  })();

  const header = (async (): Promise<BackupHeader> => {
    const first = await lines.next();
    if (first.done) throw new BackupError(`${name} is empty, not a backup.`);
    return parseHeader(first.value, name);
  })();

  async function* items(): AsyncGenerator<BackupItem> {
    await header;
    let number = 1;
    let ended = false;
    for await (const line of lines) {
      number++;
      if (line === "") continue;
      if (ended) throw new BackupError(`${name} is corrupt: there is data after its end marker (line ${number}).`);
      const item = parseItem(line, number, name);
      if (item.kind === "end") ended = true;
      yield item;
    }
    if (!ended) throw new BackupError(`${name} is truncated: it stops after line ${number}, before its end marker.`);
  }

  return {
    header,
    items,
    close: async () => {
      header.catch(() => {}); // a caller that closes early has seen (or does not need) the error
      input?.destroy();
      await lines.return(undefined);
    },
  };
}

async function openInput(file: string): Promise<Readable> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, "r");
  } catch (error) {
    throw fileError(file, error);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new BackupError(`${file} is not a file.`);
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    if (bytesRead === 0) throw new BackupError(`${file} is empty, not a backup.`);
    const gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    if (!gzipped && magic[0] !== 0x7b /* "{" */) throw new BackupError(`${file} is not a Top One Magazine backup (expected a gzip-compressed JSON-lines file).`);
    const raw = handle.createReadStream({ start: 0, highWaterMark: 256 * 1024 });
    if (!gzipped) return raw;
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    raw.on("error", (error) => gunzip.destroy(error));
    gunzip.on("close", () => raw.destroy()); // a reader that stops early still closes the file
    return raw.pipe(gunzip);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Lines of a stream, without building one string per chunk (a media line can be tens of megabytes). */
async function* splitLines(input: Readable, file: string): AsyncGenerator<string> {
  input.setEncoding("utf8");
  let pending: string[] = [];
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      let start = 0;
      let newline = chunk.indexOf("\n");
      while (newline !== -1) {
        pending.push(chunk.slice(start, newline));
        yield pending.join("");
        pending = [];
        start = newline + 1;
        newline = chunk.indexOf("\n", start);
      }
      if (start < chunk.length) pending.push(chunk.slice(start));
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    // zlib: "unexpected end of file", "incorrect data check", "invalid distance too far back", …
    throw new BackupError(`${file} is truncated or corrupt (${(error as Error).message}).`);
  }
  if (pending.length > 0) yield pending.join("");
}

function parseHeader(line: string, file: string): BackupHeader {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new BackupError(`${file} is not a Top One Magazine backup (its first line is not a backup header).`);
  }
  const header = value as Partial<BackupHeader> | null;
  if (!header || typeof header !== "object" || header.format !== BACKUP_FORMAT) {
    throw new BackupError(`${file} is not a Top One Magazine backup (its first line is not a backup header).`);
  }
  if (header.version !== BACKUP_VERSION) {
    throw new BackupError(`${file} is a version ${JSON.stringify(header.version)} backup; this version of the magazine reads version ${BACKUP_VERSION} only.`);
  }
  const tablesOk =
    Array.isArray(header.tables) &&
    header.tables.every(
      (t) => t && typeof t.name === "string" && Array.isArray(t.columns) && t.columns.every((c) => typeof c === "string") && Array.isArray(t.deferred) && t.deferred.every((c) => t.columns.includes(c)),
    );
  if (!tablesOk || typeof header.createdAt !== "string" || typeof header.secrets !== "boolean") {
    throw new BackupError(`${file} is corrupt: its header is incomplete.`);
  }
  return header as BackupHeader;
}

function parseItem(line: string, number: number, file: string): BackupItem {
  const corrupt = (why: string) => new BackupError(`${file} is corrupt: line ${number} ${why}.`);
  if (line.startsWith(ROW_PREFIX)) {
    const match = ROW_LINE.exec(line);
    if (!match) throw corrupt("is not a table row");
    let values: Record<string, unknown>;
    try {
      values = JSON.parse(match[2]!) as Record<string, unknown>; // checked here, sent to the database as written
    } catch {
      throw corrupt("is not valid JSON");
    }
    return { kind: "row", table: match[1]!, row: match[2]!, values, line: number };
  }
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw corrupt("is not valid JSON");
  }
  if (value && typeof value.media === "string" && typeof value.bytes === "string") {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value.bytes)) throw corrupt("holds media bytes that are not base64");
    return { kind: "media", key: value.media, bytes: Buffer.from(value.bytes, "base64"), line: number };
  }
  if (value && value.end === true && value.rows && typeof value.rows === "object" && typeof value.media === "number" && Array.isArray(value.missingMedia)) {
    return { kind: "end", end: value as unknown as BackupEnd, line: number };
  }
  throw corrupt("is neither a row, a media file nor the end marker");
}

function fileError(file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new BackupError(`No such file: ${file}`);
  if (code === "EISDIR") return new BackupError(`${file} is a directory, not a backup file.`);
  if (code === "EACCES" || code === "EPERM") return new BackupError(`Cannot read ${file}: permission denied.`);
  return error as Error;
}
