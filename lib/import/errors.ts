export class ImportError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line ? `line ${line}: ${message}` : message);
    this.name = "ImportError";
  }
}

/** Decodes bytes as UTF-8 text, refusing binary files and other encodings with a plain message. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError("the file is not UTF-8 text; save it as UTF-8 and try again");
  }
  const nul = text.indexOf("\u0000");
  if (nul >= 0) throw new ImportError("the file contains a NUL byte, so it is not a text file", lineOf(text, nul));
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

export function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}
