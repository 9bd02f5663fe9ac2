import { parse, protocol, type PGlite, type QueryOptions, type Results } from "@electric-sql/pglite";
import type pg from "pg";

// Statements the app runs again and again are prepared once per connection, so PostgreSQL parses
// and plans them once instead of on every call. Parsing and planning an article page's two reader
// queries took about 1.2 ms each on the PostgreSQL server, as long as running them; on PGlite more
// (its planner asks Node's file system for the size of every index). As in pgJDBC's
// prepareThreshold, a text is prepared from its PREPARE_THRESHOLD-th use, so one-off statements stay
// unnamed; drizzle binds every value as a parameter, so the texts are few.

const PREPARE_THRESHOLD = 3;
/** The most statements kept prepared per database handle; texts beyond run unnamed, as before. */
const MAX_PREPARED = 500;
/** Counting stops (and starts over) past this many distinct texts seen fewer than THRESHOLD times. */
const MAX_COUNTED = 5_000;

// errors that mean "this prepared statement can no longer be used; nothing ran": a table it reads
// changed shape (0A000: cached plan must not change result type), it is gone (26000) or its name
// is already taken by an earlier half-prepared attempt (42P05). The caller retries unnamed.
const STALE_STATEMENT_CODES = new Set(["0A000", "26000", "42P05"]);

function isStaleStatementError(error: unknown): boolean {
  return STALE_STATEMENT_CODES.has(String((error as { code?: unknown } | null)?.code));
}

/** Which statement texts are prepared, under which names: one per database handle. */
export class StatementNames {
  #uses = new Map<string, number>();
  #names = new Map<string, string>();
  #refused = new Set<string>();
  #next = 1;

  /** The name to run `text` under, or undefined to run it unnamed (still rare, or refused). */
  nameFor(text: string): string | undefined {
    const name = this.#names.get(text);
    if (name || this.#refused.has(text) || this.#names.size >= MAX_PREPARED) return name;
    const uses = (this.#uses.get(text) ?? 0) + 1;
    if (uses < PREPARE_THRESHOLD) {
      if (this.#uses.size >= MAX_COUNTED) this.#uses.clear();
      this.#uses.set(text, uses);
      return undefined;
    }
    this.#uses.delete(text);
    const fresh = `magazine_${this.#next++}`; // never reused: a name always means one text
    this.#names.set(text, fresh);
    return fresh;
  }

  /** `text` could not run prepared (see isStaleStatementError): from now on it runs unnamed. */
  refuse(text: string): void {
    this.#names.delete(text);
    this.#refused.add(text);
  }

  get size(): number {
    return this.#names.size;
  }
}

type QueryConfig = { text?: unknown; name?: unknown };

/**
 * Prepares the pool's frequent statements: node-postgres prepares a named statement on each
 * connection the first time that connection runs it. Queries in transactions (on a checked-out
 * client) run as before.
 */
export function preparePoolStatements(pool: pg.Pool): void {
  const names = new StatementNames();
  const query = pool.query.bind(pool) as (config: unknown, values?: unknown, callback?: unknown) => Promise<pg.QueryResult>;
  pool.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    const c = config as QueryConfig | null;
    const text = typeof c?.text === "string" && !c.name && typeof values !== "function" && callback === undefined ? c.text : undefined;
    const name = text === undefined ? undefined : names.nameFor(text);
    if (!name) return query(config, values, callback);
    return query({ ...c, name }, values).catch((error: unknown) => {
      if (!isStaleStatementError(error)) throw error;
      names.refuse(text!);
      return query(config, values);
    });
  }) as typeof pool.query;
}

// What PGlite 0.5 offers beyond its typed interface: the locks its own query() takes.
type PgliteInternals = {
  _checkReady(): Promise<void>;
  _runExclusiveTransaction<T>(work: () => Promise<T>): Promise<T>;
  _runExclusiveQuery<T>(work: () => Promise<T>): Promise<T>;
};

/**
 * The same for PGlite, whose query() always parses and plans an unnamed statement: frequent texts
 * run as named statements over its wire protocol, with the locks and the result parsing its query()
 * uses. Queries in transactions (the transaction's own query()) run as before.
 */
export function preparePgliteStatements(client: PGlite): void {
  const names = new StatementNames();
  const paramTypes = new Map<string, number[]>(); // by statement name, from Describe
  const query = client.query.bind(client);
  const internals = client as unknown as PgliteInternals;
  const send = (message: Uint8Array) => client.execProtocolStream(message, { syncToFs: false });

  async function runNamed<T>(name: string, text: string, params: unknown[], options?: QueryOptions): Promise<Results<T>> {
    const replies: Awaited<ReturnType<typeof send>> = [];
    try {
      let types = paramTypes.get(name);
      if (!types) {
        await send(protocol.serialize.parse({ name, text, types: [] }));
        types = parse.parseDescribeStatementResults(await send(protocol.serialize.describe({ type: "S", name })));
        paramTypes.set(name, types);
      }
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const serializer = options?.serializers?.[types[i]!] ?? client.serializers[types[i]!];
        return serializer ? (serializer(value) as string) : String(value);
      });
      replies.push(
        ...(await send(protocol.serialize.bind({ statement: name, values }))),
        ...(await send(protocol.serialize.describe({ type: "P" }))),
        ...(await send(protocol.serialize.execute({}))),
      );
    } catch (error) {
      // as PGlite's query() does: the failing statement and its values travel with the error
      if (error instanceof Error) Object.assign(error, { query: text, params, queryOptions: options });
      throw error;
    } finally {
      replies.push(...(await send(protocol.serialize.sync())));
    }
    await client.syncToFs();
    return parse.parseResults(replies, client.parsers, options)[0] as Results<T>;
  }

  client.query = async <T>(text: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> => {
    const name = options?.blob || options?.paramTypes ? undefined : names.nameFor(text);
    if (!name) return query<T>(text, params, options);
    await internals._checkReady();
    try {
      return await internals._runExclusiveTransaction(() => internals._runExclusiveQuery(() => runNamed<T>(name, text, params, options)));
    } catch (error) {
      if (!isStaleStatementError(error)) throw error;
      names.refuse(text);
      paramTypes.delete(name);
      return query<T>(text, params, options);
    }
  };
}
