import { unstable_cache } from "next/cache";
import { cache } from "react";
import { getEnv, isBuildPhase } from "@/lib/env";

// Reader pages stay cached until a mutation expires one of their tags; this bound only limits how
// long a missed invalidation could ever show.
const SAFETY_REVALIDATE_SECONDS = 600;

/**
 * Wraps a reader query in the Next.js data cache under the given tags; pages that call it inherit
 * the tags. Results pass through JSON, so DTOs carry dates as ISO strings. Outside a Next.js server
 * (scripts, tests) the query runs directly. Pages built by `next build` with a placeholder are never
 * served: the page cache is in memory (lib/cache/next-cache-handler.cjs), so the first request renders.
 */
export function cachedQuery<A extends unknown[], R>(
  name: string,
  query: (...args: A) => Promise<R>,
  tagsFor: (...args: A) => string[],
  /** What `next build` renders for pages without parameters: the build never reads the database. */
  buildPlaceholder?: R,
) {
  // PAGE_CACHE=off (measuring uncached render times): every request queries afresh, once per
  // render (React's per-request memo), never from the data cache
  const perRequest = cache(query);
  return (...args: A): Promise<R> => {
    if (isBuildPhase() && buildPlaceholder !== undefined) return Promise.resolve(buildPlaceholder);
    if (!getEnv().NEXT_RUNTIME) return query(...args);
    if (getEnv().PAGE_CACHE === "off") return perRequest(...args);
    return unstable_cache(() => query(...args), [name, JSON.stringify(args)], {
      tags: tagsFor(...args),
      revalidate: SAFETY_REVALIDATE_SECONDS,
    })();
  };
}
