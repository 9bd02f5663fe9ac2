"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

// Drag-and-drop upload of several images, one request each so every file shows its own progress and
// outcome. Without JavaScript the same form posts one file to the same endpoint.

type Item = { id: number; name: string; progress: number; state: "uploading" | "done" | "failed"; message?: string };

const ACCEPT = "image/jpeg,image/png,image/webp,image/avif,image/gif,.jpg,.jpeg,.png,.webp,.avif,.gif";

export function MediaUploader({ maxMegabytes }: { maxMegabytes: number }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const nextId = useRef(0);

  const update = (id: number, change: Partial<Item>) => setItems((all) => all.map((item) => (item.id === id ? { ...item, ...change } : item)));

  function uploadOne(file: File): Promise<void> {
    const id = nextId.current++;
    setItems((all) => [...all, { id, name: file.name, progress: 0, state: "uploading" }]);
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open("POST", "/api/staff/media");
      request.setRequestHeader("Accept", "application/json");
      request.upload.onprogress = (event) => event.lengthComputable && update(id, { progress: Math.round((event.loaded / event.total) * 100) });
      request.onload = () => {
        let message: string | undefined;
        try {
          message = (JSON.parse(request.responseText) as { error?: string }).error;
        } catch {
          message = request.responseText.trim() || undefined;
        }
        if (request.status === 201) update(id, { state: "done", progress: 100, message: "Uploaded. Add its alt text below." });
        else update(id, { state: "failed", message: message ?? `The upload failed (${request.status}).` });
        resolve();
      };
      request.onerror = () => {
        update(id, { state: "failed", message: "The connection was lost. Check it and upload the file again." });
        resolve();
      };
      const form = new FormData();
      form.append("file", file);
      request.send(form);
    });
  }

  async function uploadAll(files: FileList | File[]) {
    const list = Array.from(files);
    if (list.length === 0) return;
    // two at a time: quick, without flooding the server with full-size images
    const queue = [...list];
    await Promise.all([0, 1].map(async () => {
      for (let file = queue.shift(); file; file = queue.shift()) await uploadOne(file);
    }));
    if (input.current) input.current.value = "";
    router.refresh();
  }

  return (
    <form
      method="post"
      action="/api/staff/media"
      encType="multipart/form-data"
      onSubmit={(event) => {
        event.preventDefault();
        if (input.current?.files) void uploadAll(input.current.files);
      }}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        void uploadAll(event.dataTransfer.files);
      }}
      className={`rounded border-2 border-dashed p-6 text-center ${dragging ? "border-accent bg-rule/30" : "border-rule"}`}
    >
      <p className="font-semibold">Drop images here, or choose them</p>
      <p id="upload-hint" className="mt-1 text-sm text-muted">
        JPEG, PNG, WebP, AVIF or GIF, up to {maxMegabytes} MB each. Location and camera details are removed.
      </p>
      <div className="mt-3 flex flex-wrap items-center justify-center gap-3">
        <label htmlFor="upload-files" className="text-sm font-semibold">
          Images to upload
        </label>
        <input
          ref={input}
          id="upload-files"
          name="file"
          type="file"
          accept={ACCEPT}
          multiple
          aria-describedby="upload-hint"
          onChange={(event) => event.target.files && void uploadAll(event.target.files)}
          className="text-sm"
        />
        <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
          Upload
        </button>
      </div>
      {items.length > 0 && (
        <ul aria-label="Uploads" className="mt-4 space-y-2 text-left text-sm">
          {items.map((item) => (
            <li key={item.id} data-upload-state={item.state}>
              <span className="font-semibold">{item.name}</span>{" "}
              {item.state === "uploading" ? (
                <progress max={100} value={item.progress} aria-label={`Uploading ${item.name}`} className="align-middle" />
              ) : (
                <span role={item.state === "failed" ? "alert" : "status"} className={item.state === "failed" ? "text-accent" : ""}>
                  {item.state === "failed" ? "Not uploaded: " : ""}
                  {item.message}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
