// Structured logs: one JSON object a line, so a log shipper can parse them.

type Fields = Record<string, unknown>;

function write(level: "info" | "warn" | "error", msg: string, fields: Fields) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}

export function logInfo(msg: string, fields: Fields = {}) {
  write("info", msg, fields);
}

export function logWarn(msg: string, fields: Fields = {}) {
  write("warn", msg, fields);
}

export function logError(msg: string, error: unknown, fields: Fields = {}) {
  const err = error instanceof Error ? { error: error.message, name: error.name, stack: error.stack } : { error: String(error) };
  write("error", msg, { ...fields, ...err });
}
