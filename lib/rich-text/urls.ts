// URL rules shared by validation (on save) and the renderer (on read), so a bad URL can neither be stored nor drawn.

const SAFE_LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** http(s), mailto, a site path ("/section/world") or an in-page anchor; never javascript:, data: or protocol-relative. */
export function isSafeHref(href: string): boolean {
  const value = href.trim();
  if (value === "" || /[\u0000-\u001f\u007f]/.test(value)) return false;
  if (value.startsWith("#")) return true;
  if (value.startsWith("/")) return !value.startsWith("//") && !value.startsWith("/\\");
  try {
    return SAFE_LINK_PROTOCOLS.has(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Images come from our media route or over https. */
export function isSafeImageSrc(src: string): boolean {
  const value = src.trim();
  if (/^\/media\/[A-Za-z0-9/_.-]+$/.test(value) && !value.includes("..")) return true;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}
