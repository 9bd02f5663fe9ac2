"use client";

import { useRef, useState } from "react";
import type { LibraryImage } from "./article-editor";

// Uploads one image into the media library from inside the article editor, with its alt text, and
// hands it back to be used at once (as the hero, or as a figure in the text): no trip to the library
// page and back. The same endpoint as the library's own uploader checks and re-encodes the file.

const ACCEPT = "image/jpeg,image/png,image/webp,image/avif,image/gif,.jpg,.jpeg,.png,.webp,.avif,.gif";

type State = { kind: "idle" } | { kind: "uploading" } | { kind: "done"; message: string } | { kind: "failed"; message: string };

export function ImageUpload({ idPrefix, disabled, onUploaded }: { idPrefix: string; disabled: boolean; onUploaded: (image: LibraryImage) => void }) {
  const file = useRef<HTMLInputElement>(null);
  const [alt, setAlt] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });

  async function upload() {
    const chosen = file.current?.files?.[0];
    if (!chosen) return setState({ kind: "failed", message: "Choose an image file first." });
    if (!alt.trim()) return setState({ kind: "failed", message: "Write the alt text first: it is what readers who cannot see the image hear." });
    setState({ kind: "uploading" });
    const form = new FormData();
    form.append("file", chosen);
    form.append("alt", alt);
    try {
      const response = await fetch("/api/staff/media", { method: "POST", headers: { Accept: "application/json" }, body: form });
      const body = (await response.json().catch(() => ({}))) as { id?: string; url?: string; alt?: string | null; filename?: string; error?: string };
      if (response.status !== 201 || !body.id || !body.url) {
        return setState({ kind: "failed", message: body.error ?? `The upload failed (${response.status}). Try again.` });
      }
      onUploaded({ id: body.id, src: body.url, alt: body.alt ?? alt.trim(), caption: null, credit: null, filename: body.filename ?? chosen.name });
      setAlt("");
      if (file.current) file.current.value = "";
      setState({ kind: "done", message: `Uploaded “${chosen.name}” to the media library and used it here.` });
    } catch {
      setState({ kind: "failed", message: "The connection was lost. Check it and upload the image again." });
    }
  }

  return (
    <div className="w-full space-y-2 rounded border border-dashed border-rule p-2 text-sm">
      <label htmlFor={`${idPrefix}-file`} className="block font-semibold">
        Upload a new image
      </label>
      <input ref={file} id={`${idPrefix}-file`} type="file" accept={ACCEPT} disabled={disabled} className="block w-full" />
      <label htmlFor={`${idPrefix}-alt`} className="block">
        Its alt text (what the image shows)
      </label>
      <input id={`${idPrefix}-alt`} type="text" value={alt} maxLength={500} disabled={disabled} onChange={(e) => setAlt(e.target.value)} className="w-full rounded border border-rule bg-paper px-2 py-1" />
      <button type="button" disabled={disabled || state.kind === "uploading"} onClick={() => void upload()} className="rounded border border-rule px-3 py-1 font-semibold">
        {state.kind === "uploading" ? "Uploading…" : "Upload and use"}
      </button>
      {(state.kind === "done" || state.kind === "failed") && (
        <p role={state.kind === "failed" ? "alert" : "status"} className={state.kind === "failed" ? "text-accent" : ""}>
          {state.message}
        </p>
      )}
    </div>
  );
}
