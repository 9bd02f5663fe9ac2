"use client";

import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { EditableArticle } from "@/lib/articles/editing";
import { ImageUpload } from "./image-upload";
import { canonicalJson, copiesLeftBehind, dropCopy, dropOwnCopy, keepCopy, type LocalCopy } from "./local-copies";
import { cleanPastedHtml, editorExtensions, type FigureAttrs } from "./rich-text-extensions";

// The article editor. Nothing typed is lost: every change is kept in this browser at once
// (localStorage, a copy per tab: ./local-copies) and saved to the server a moment after typing
// stops; a save names the version it edits, so a stale one comes back as a conflict to resolve,
// never a silent overwrite, and the side given up in a conflict is kept as a revision.

export type LibraryImage = { id: string; src: string; alt: string; caption: string | null; credit: string | null; filename: string | null };
type Choice = { id: string; name: string };
type Fields = {
  title: string;
  slug: string;
  dek: string;
  sectionId: string;
  tags: string;
  authorIds: string[];
  hero: { mediaId: string; src: string; alt: string; caption: string; credit: string } | null;
  sourceName: string;
  sourceUrl: string;
  seoTitle: string;
  seoDescription: string;
  canonicalUrl: string;
  isFeatured: boolean;
};
type SaveState = "saved" | "unsaved" | "saving" | "offline" | "invalid" | "conflict";

const AUTOSAVE_DELAY_MS = 2_000;
const PRESENCE_INTERVAL_MS = 5_000;
const RETRY_DELAY_MS = 5_000;

function fieldsOf(article: EditableArticle): Fields {
  return {
    title: article.title,
    slug: article.slug.startsWith("draft-") ? "" : article.slug,
    dek: article.dek ?? "",
    sectionId: article.sectionId ?? "",
    tags: article.tags.join(", "),
    authorIds: article.authorIds,
    hero: article.hero ? { mediaId: article.hero.mediaId, src: article.hero.src, alt: article.hero.alt, caption: article.hero.caption ?? "", credit: article.hero.credit ?? "" } : null,
    sourceName: article.sourceName ?? "",
    sourceUrl: article.sourceUrl ?? "",
    seoTitle: article.seoTitle ?? "",
    seoDescription: article.seoDescription ?? "",
    canonicalUrl: article.canonicalUrl ?? "",
    isFeatured: article.isFeatured,
  };
}

function payload(fields: Fields, body: unknown, version: number) {
  return {
    version,
    title: fields.title,
    slug: fields.slug,
    dek: fields.dek,
    body,
    sectionId: fields.sectionId || null,
    tags: fields.tags.split(",").map((t) => t.trim()).filter(Boolean),
    authorIds: fields.authorIds,
    hero: fields.hero ? { mediaId: fields.hero.mediaId, alt: fields.hero.alt, caption: fields.hero.caption, credit: fields.hero.credit } : null,
    sourceName: fields.sourceName,
    sourceUrl: fields.sourceUrl,
    seoTitle: fields.seoTitle,
    seoDescription: fields.seoDescription,
    canonicalUrl: fields.canonicalUrl,
    isFeatured: fields.isFeatured,
  };
}


function plainText(body: unknown): string {
  const walk = (node: unknown): string => {
    if (!node || typeof node !== "object") return "";
    const n = node as { type?: string; text?: string; content?: unknown[]; attrs?: { alt?: string } };
    if (n.type === "text") return n.text ?? "";
    if (n.type === "figure") return `[image: ${n.attrs?.alt ?? ""}]\n`;
    const inner = (n.content ?? []).map(walk).join("");
    return ["paragraph", "heading", "pullQuote"].includes(n.type ?? "") ? `${inner}\n` : inner;
  };
  return walk(body).trim();
}

export function ArticleEditor({
  article,
  editable,
  canPublish,
  sections,
  people,
  images,
  siteTimeZone,
}: {
  article: EditableArticle;
  editable: boolean;
  canPublish: boolean;
  sections: Choice[];
  people: Choice[];
  images: LibraryImage[];
  siteTimeZone: string;
}) {
  const router = useRouter();
  const [fields, setFields] = useState<Fields>(() => fieldsOf(article));
  // the library's usable images, and any uploaded from this editor since it loaded
  const [library, setLibrary] = useState(images);
  const addToLibrary = (image: LibraryImage) => setLibrary((all) => [image, ...all.filter((i) => i.id !== image.id)]);
  const [version, setVersion] = useState(article.version);
  const [status, setStatus] = useState(article.status);
  const [saveState, setSaveState] = useState<SaveState>("saved");
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState<EditableArticle | null>(null);
  // copies other tabs (or an earlier visit) left in this browser, newest first
  const [restorable, setRestorable] = useState<LocalCopy<Fields>[]>([]);
  const [words, setWords] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [presence, setPresence] = useState<{ others: { name: string; since: string }[]; takenOverBy: string | null }>({ others: [], takenOverBy: null });
  const tab = useRef<string>("");
  const tabId = () => (tab.current ||= crypto.randomUUID());
  // the fields and body as this editor last loaded or saved them: what a conflict's "mine" changed
  const saved = useRef<{ fields: Fields; body: unknown }>({ fields: fieldsOf(article), body: article.body });

  // the latest values for the save loop, which runs outside React's render
  const latest = useRef({ fields, version, dirty: false, saving: false, takenOver: false, live: false });
  latest.current.fields = fields;
  latest.current.version = version;
  latest.current.live = status === "published" || status === "scheduled";
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const editorRef = useRef<Editor | null>(null);

  const keepLocalCopy = useCallback(() => {
    const editor = editorRef.current;
    if (!editor) return;
    // storage full or disabled: the server save still runs
    keepCopy(article.id, tabId(), { baseVersion: latest.current.version, keptAt: new Date().toISOString(), fields: latest.current.fields, body: editor.getJSON() });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [article.id]);

  const save = useCallback(
    async (autosave: boolean): Promise<boolean> => {
      const editor = editorRef.current;
      if (!editor || !editable || latest.current.takenOver) return false;
      if (latest.current.saving) {
        schedule();
        return false;
      }
      latest.current.saving = true;
      latest.current.dirty = false;
      setSaveState("saving");
      const sent = { fields: latest.current.fields, body: editor.getJSON() };
      try {
        const response = await fetch(`/api/staff/articles/${article.id}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ article: payload(sent.fields, sent.body, latest.current.version), autosave }),
        });
        const answer = (await response.json().catch(() => ({}))) as { version?: number; error?: string; current?: EditableArticle };
        if (response.ok && answer.version) {
          latest.current.version = answer.version;
          setVersion(answer.version);
          saved.current = sent;
          setMessage(null);
          if (latest.current.dirty) {
            setSaveState("unsaved");
            // typed while this save was on its way: saved like any typing (a live article waits for Update)
            if (!latest.current.live) schedule();
          } else {
            setSaveState("saved");
            dropOwnCopy(article.id, tabId());
          }
          return true;
        }
        latest.current.dirty = true;
        if (response.status === 409 && answer.current) {
          setConflict(answer.current);
          setSaveState("conflict");
        } else if (response.status === 400 || response.status === 413) {
          setSaveState("invalid");
          setMessage(answer.error ?? "The article could not be saved as it is.");
        } else {
          setSaveState("offline");
          setMessage(answer.error ?? `Not saved (${response.status}). Your text is kept in this browser; saving again shortly.`);
          retry();
        }
        return false;
      } catch {
        latest.current.dirty = true;
        setSaveState("offline");
        setMessage("Offline: your text is kept in this browser and will be saved when the connection is back.");
        retry();
        return false;
      } finally {
        latest.current.saving = false;
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [article.id, editable],
  );

  function schedule(delay = AUTOSAVE_DELAY_MS) {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(true), delay);
  }
  function retry() {
    schedule(RETRY_DELAY_MS);
  }

  const changed = useCallback(() => {
    if (!editable || latest.current.takenOver) return;
    latest.current.dirty = true;
    setSaveState((state) => (state === "conflict" ? state : "unsaved"));
    keepLocalCopy();
    // a live article changes for readers only when someone presses Update: half-typed sentences
    // stay in this browser until then
    if (!conflictRef.current && !latest.current.live) schedule();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editable, keepLocalCopy]);
  const conflictRef = useRef(conflict);
  conflictRef.current = conflict;

  const editor = useEditor({
    extensions: editorExtensions,
    content: article.body as object,
    editable,
    immediatelyRender: false,
    editorProps: {
      attributes: { class: "article-body prose-editor min-h-64 rounded border border-rule bg-paper p-4 focus:outline-2", "aria-label": "Body", "aria-multiline": "true", role: "textbox" },
      transformPastedHTML: cleanPastedHtml,
    },
    onCreate: ({ editor: created }) => {
      editorRef.current = created;
      // the body as the editor holds it (its own attribute defaults), so "did I change it" compares like with like
      saved.current = { ...saved.current, body: created.getJSON() };
      setWords(countWords(created.getText()));
    },
    onUpdate: ({ editor: updated }) => {
      setWords(countWords(updated.getText()));
      changed();
    },
  });

  // fields other than the body: keep and schedule like typing in the body
  const update = (change: Partial<Fields>) => {
    setFields((current) => {
      const next = { ...current, ...change };
      latest.current.fields = next;
      return next;
    });
    queueMicrotask(changed);
  };

  // copies left in this browser (a closed tab, a crash, a take-over, a lost connection) are offered
  // back; one holding exactly what the server has is done with
  useEffect(() => {
    const differing = copiesLeftBehind<Fields>(article.id, tabId()).filter((copy) => {
      const same = canonicalJson(copy.body) === canonicalJson(article.body) && canonicalJson(copy.fields) === canonicalJson(fieldsOf(article));
      if (same) dropCopy(copy.key);
      return !same;
    });
    setRestorable(differing);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [article]);

  // presence: who else has this article open; a take-over by someone else makes this editor read-only
  const beat = useCallback(
    async (takeOver = false) => {
      try {
        const response = await fetch(`/api/staff/articles/${article.id}/presence`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
          body: new URLSearchParams({ tab: tabId(), ...(takeOver ? { takeOver: "1" } : {}) }),
        });
        if (!response.ok) return;
        const answer = (await response.json()) as typeof presence;
        setPresence(answer);
        if (answer.takenOverBy) {
          latest.current.takenOver = true;
          editorRef.current?.setEditable(false);
          if (timer.current) clearTimeout(timer.current);
        }
      } catch {
        // offline: the save state says so already
      }
    },
    [article.id],
  );
  useEffect(() => {
    if (!editable) return;
    void beat();
    const interval = setInterval(() => void beat(), PRESENCE_INTERVAL_MS);
    return () => clearInterval(interval);
  }, [beat, editable]);
  const locked = !editable || presence.takenOverBy !== null;

  // leaving with unsaved changes: the browser asks; the local copy is kept anyway
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (latest.current.dirty || latest.current.saving) {
        event.preventDefault();
        event.returnValue = ""; // browsers that predate preventDefault() here
      }
    };
    const online = () => latest.current.dirty && schedule(0);
    window.addEventListener("beforeunload", warn);
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("beforeunload", warn);
      window.removeEventListener("online", online);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function restore(copy: LocalCopy<Fields>) {
    setRestorable((copies) => copies.filter((c) => c.key !== copy.key));
    setFields(copy.fields);
    latest.current.fields = copy.fields;
    // edit on top of the version the copy was made from: if someone saved since, the save conflicts
    latest.current.version = copy.baseVersion;
    setVersion(copy.baseVersion);
    // the update keeps the restored text as this tab's own copy; the one it came from is done with
    editorRef.current?.commands.setContent(copy.body as object, { emitUpdate: true });
    dropCopy(copy.key);
  }

  /**
   * Keeps this editor's version as a revision before any of it is given up in a conflict; false,
   * with a message and nothing discarded, when the server did not take it.
   */
  async function setAside(): Promise<boolean> {
    const editor = editorRef.current;
    if (!editor) return false;
    try {
      const response = await fetch(`/api/staff/articles/${article.id}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ article: payload(latest.current.fields, editor.getJSON(), latest.current.version), setAside: true }),
      });
      if (response.ok) return true;
      const answer = (await response.json().catch(() => ({}))) as { error?: string };
      setMessage(`Your version could not be kept in the revision history (${answer.error ?? response.status}), so nothing was discarded. Try again, or keep yours.`);
    } catch {
      setMessage("Offline: your version could not be kept in the revision history, so nothing was discarded. Try again when the connection is back.");
    }
    return false;
  }

  async function keepTheirs(current: EditableArticle) {
    if (!(await setAside())) return;
    setConflict(null);
    setFields(fieldsOf(current));
    latest.current.fields = fieldsOf(current);
    latest.current.version = current.version;
    setVersion(current.version);
    editorRef.current?.commands.setContent(current.body as object, { emitUpdate: false });
    saved.current = { fields: fieldsOf(current), body: editorRef.current?.getJSON() ?? current.body };
    latest.current.dirty = false;
    dropOwnCopy(article.id, tabId());
    setMessage(null);
    setSaveState("saved");
  }

  function keepMine(current: EditableArticle) {
    setConflict(null);
    // theirs stays in the revision history; mine is saved over it, knowingly
    latest.current.version = current.version;
    setVersion(current.version);
    void save(false);
  }

  /** Field by field: theirs where chosen, mine elsewhere, saved over their version (all of mine set aside first). */
  async function keepMerged(current: EditableArticle, mineFor: Set<MergeField>) {
    if (!(await setAside())) return;
    setMessage(null);
    const theirs = fieldsOf(current);
    const merged: Fields = { ...theirs };
    for (const field of MERGE_FIELDS) {
      if (field.key === "body" || !mineFor.has(field.key)) continue;
      for (const key of field.fields) (merged as Record<string, unknown>)[key] = latest.current.fields[key];
    }
    const body = mineFor.has("body") ? editorRef.current?.getJSON() : current.body;
    setConflict(null);
    setFields(merged);
    latest.current.fields = merged;
    latest.current.version = current.version;
    setVersion(current.version);
    editorRef.current?.commands.setContent(body as object, { emitUpdate: false });
    void save(false);
  }

  /**
   * Saves now what is not saved yet, first waiting for a save already on its way (which would
   * otherwise make this one step aside); true once the server has everything.
   */
  async function flush(): Promise<boolean> {
    while (latest.current.saving) await new Promise((resolve) => setTimeout(resolve, 50));
    // every failed save marks the text dirty again, so clean means the server has it all
    if (!latest.current.dirty) return true;
    if (timer.current) clearTimeout(timer.current);
    return save(false);
  }

  async function step(operation: string, extra: Record<string, string> = {}) {
    if (!(await flush())) return;
    const response = await fetch(`/api/staff/articles/${article.id}/${operation}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({ version: String(latest.current.version), ...extra }),
    });
    const answer = (await response.json().catch(() => ({}))) as { version?: number; status?: EditableArticle["status"]; error?: string; current?: EditableArticle };
    if (response.ok) {
      if (answer.version) {
        latest.current.version = answer.version;
        setVersion(answer.version);
      }
      if (answer.status) setStatus(answer.status);
      setNotice(STEP_DONE[operation] ?? "Done.");
      setMessage(null);
      router.refresh();
    } else if (response.status === 409 && answer.current) {
      setConflict(answer.current);
      setSaveState("conflict");
    } else {
      setNotice(null);
      setMessage(answer.error ?? `That did not work (${response.status}).`);
    }
  }

  const seoTitle = fields.seoTitle || fields.title;
  const seoDescription = fields.seoDescription || fields.dek;
  return (
    <div
      className="mt-6 grid gap-8 lg:grid-cols-[minmax(0,1fr)_20rem]"
      onKeyDown={(event) => {
        if ((event.metaKey || event.ctrlKey) && event.key === "s") {
          event.preventDefault();
          void save(false);
        }
      }}
    >
      <div className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
          <p>
            Status: <strong data-article-status>{STATUS_LABEL[status]}</strong> · version {version} · {words} {words === 1 ? "word" : "words"}
          </p>
          <p role="status" aria-live="polite" data-save-state={saveState} className="font-semibold">
            {SAVE_LABEL[saveState]}
          </p>
        </div>
        {presence.takenOverBy && (
          <p role="alert" className="rounded border border-accent p-3 text-sm">
            {presence.takenOverBy} took over this article, so this editor is now read-only. Your unsaved words are kept in this browser; reload to see the latest version.
          </p>
        )}
        {!presence.takenOverBy && presence.others.length > 0 && (
          <div role="status" className="flex flex-wrap items-center justify-between gap-2 rounded border border-rule p-3 text-sm" data-presence>
            <p>
              Also editing now: {presence.others.map((o) => `${o.name} (since ${new Date(o.since).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })})`).join(", ")}. Saving at the same time may conflict.
            </p>
            <button type="button" onClick={() => void beat(true)} className="rounded border border-rule px-3 py-1 font-semibold">
              Take over
            </button>
          </div>
        )}
        {!editable && <p className="rounded border border-rule p-3 text-sm">You can read this article but not change it: writers edit their own drafts; an editor takes it from here.</p>}
        {restorable[0] && (
          <div role="alert" className="rounded border border-accent p-3 text-sm">
            <p>
              This browser kept changes to this article from {new Date(restorable[0].keptAt).toLocaleString()} that were not saved
              {restorable.length > 1 ? ` (and ${restorable.length - 1} older ${restorable.length === 2 ? "copy" : "copies"}, offered next)` : ""}.
            </p>
            <div className="mt-2 flex gap-2">
              <button type="button" className="rounded bg-ink px-3 py-1 font-semibold text-paper" onClick={() => restore(restorable[0]!)}>
                Restore my changes
              </button>
              <button
                type="button"
                className="rounded border border-rule px-3 py-1"
                onClick={() => {
                  const [discarded, ...rest] = restorable;
                  dropCopy(discarded!.key);
                  setRestorable(rest);
                }}
              >
                Discard them
              </button>
            </div>
          </div>
        )}
        {message && (
          <p role="alert" className="rounded border border-accent p-3 text-sm">
            {message}
          </p>
        )}
        {notice && (
          <p role="status" className="rounded border border-rule p-3 text-sm">
            {notice}
          </p>
        )}
        {conflict && editorRef.current && (
          <ConflictView theirs={conflict} mine={{ fields, body: editorRef.current.getJSON() }} base={saved.current} onKeepTheirs={() => void keepTheirs(conflict)} onKeepMine={() => keepMine(conflict)} onMerge={(mineFor) => void keepMerged(conflict, mineFor)} />
        )}
        <TextField id="title" label="Title" value={fields.title} disabled={locked} maxLength={300} onChange={(title) => update({ title })} large />
        <TextField id="dek" label="Dek" value={fields.dek} disabled={locked} maxLength={500} onChange={(dek) => update({ dek })} hint="One or two sentences under the headline." multiline />
        {editor && !locked && <Toolbar editor={editor} images={library} onUploaded={addToLibrary} />}
        <EditorContent editor={editor} />
      </div>

      <aside aria-label="Article settings" className="space-y-4 text-sm">
        <div className="space-y-2 rounded border border-rule p-3">
          <button type="button" disabled={locked} onClick={() => void save(false)} className="w-full rounded bg-ink px-3 py-2 font-semibold text-paper disabled:opacity-50">
            {status === "published" ? "Update" : "Save"}
          </button>
          {(status === "published" || status === "scheduled") && <p className="text-xs text-muted">Changes to a {status} article are kept in this browser until you press {status === "published" ? "Update" : "Save"}; readers see them then.</p>}
          {editable && status === "draft" && (
            <button type="button" onClick={() => void step("submit")} className="w-full rounded border border-rule px-3 py-2 font-semibold">
              Submit for review
            </button>
          )}
          {canPublish && <PublishControls status={status} siteTimeZone={siteTimeZone} onStep={step} />}
          <PreviewControls articleId={article.id} flush={flush} />
          <a href={`/editor/articles/${article.id}/revisions`} className="block text-center underline">
            Revisions
          </a>
        </div>
        <TextField id="slug" label="Slug (web address)" value={fields.slug} disabled={locked} maxLength={80} onChange={(slug) => update({ slug: slug.toLowerCase() })} hint={fields.slug ? `/article/${fields.slug}` : "Made from the title when it is published."} />
        <div>
          <label htmlFor="section" className="block font-semibold">
            Section
          </label>
          <select id="section" value={fields.sectionId} disabled={locked} onChange={(e) => update({ sectionId: e.target.value })} className="mt-1 w-full rounded border border-rule bg-paper px-2 py-1">
            <option value="">No section</option>
            {sections.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <TextField id="tags" label="Tags" value={fields.tags} disabled={locked} maxLength={2000} onChange={(tags) => update({ tags })} hint="Separated by commas; new tags are created." />
        <AuthorsField authorIds={fields.authorIds} people={people} disabled={locked} onChange={(authorIds) => update({ authorIds })} />
        <HeroField hero={fields.hero} images={library} disabled={locked} onChange={(hero) => update({ hero })} onUploaded={addToLibrary} />
        <fieldset className="space-y-2 rounded border border-rule p-3">
          <legend className="px-1 font-semibold">Source (Go To Source)</legend>
          <TextField id="sourceName" label="Source name" value={fields.sourceName} disabled={locked} maxLength={200} onChange={(sourceName) => update({ sourceName })} />
          <TextField id="sourceUrl" label="Source URL" value={fields.sourceUrl} disabled={locked} maxLength={2000} onChange={(sourceUrl) => update({ sourceUrl })} />
        </fieldset>
        <fieldset className="space-y-2 rounded border border-rule p-3">
          <legend className="px-1 font-semibold">Search and sharing</legend>
          <TextField id="seoTitle" label="SEO title" value={fields.seoTitle} disabled={locked} maxLength={120} onChange={(seoTitle) => update({ seoTitle })} hint={lengthHint(seoTitle.length, 60)} />
          <TextField id="seoDescription" label="SEO description" value={fields.seoDescription} disabled={locked} maxLength={320} onChange={(seoDescription) => update({ seoDescription })} hint={lengthHint(seoDescription.length, 155)} multiline />
          <div aria-label="Search result preview" className="rounded bg-rule/30 p-2">
            <p className="truncate text-base text-accent">{seoTitle || "Headline"}</p>
            <p className="truncate text-xs">/article/{fields.slug || "…"}</p>
            <p className="line-clamp-2 text-xs">{seoDescription || "Add a dek or an SEO description."}</p>
          </div>
          <TextField id="canonicalUrl" label="Canonical URL" value={fields.canonicalUrl} disabled={locked} maxLength={2000} onChange={(canonicalUrl) => update({ canonicalUrl })} hint="Only when the story first appeared elsewhere." />
        </fieldset>
        {canPublish && (
          <label className="flex items-center gap-2 font-semibold">
            <input type="checkbox" checked={fields.isFeatured} disabled={locked} onChange={(e) => update({ isFeatured: e.target.checked })} />
            Featured (lead story on the front page)
          </label>
        )}
      </aside>
    </div>
  );
}

const STATUS_LABEL: Record<EditableArticle["status"], string> = { draft: "Draft", review: "In review", scheduled: "Scheduled", published: "Published", archived: "Archived" };
const SAVE_LABEL: Record<SaveState, string> = { saved: "Saved", unsaved: "Unsaved changes (kept in this browser)", saving: "Saving…", offline: "Offline: kept in this browser", invalid: "Not saved: see the message", conflict: "Not saved: someone else saved first" };
const STEP_DONE: Record<string, string> = { submit: "Submitted for review.", publish: "Published: readers see it now.", schedule: "Scheduled.", unpublish: "Unpublished: it is gone from the site.", archive: "Archived." };

function countWords(text: string): number {
  return text.trim() ? text.trim().split(/\s+/).length : 0;
}

function lengthHint(length: number, ideal: number): string {
  return length > ideal ? `${length} characters: search engines may cut it after about ${ideal}.` : `${length} of about ${ideal} characters.`;
}

function TextField({ id, label, value, onChange, disabled, maxLength, hint, multiline, large }: { id: string; label: string; value: string; onChange: (value: string) => void; disabled: boolean; maxLength: number; hint?: string; multiline?: boolean; large?: boolean }) {
  const className = `mt-1 w-full rounded border border-rule bg-paper px-2 py-1 ${large ? "font-serif text-2xl font-bold" : ""}`;
  return (
    <div>
      <label htmlFor={id} className="block font-semibold">
        {label}
      </label>
      {multiline ? (
        <textarea id={id} value={value} disabled={disabled} maxLength={maxLength} rows={2} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined} className={className} />
      ) : (
        <input id={id} value={value} disabled={disabled} maxLength={maxLength} onChange={(e) => onChange(e.target.value)} aria-describedby={hint ? `${id}-hint` : undefined} className={className} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}

function Toolbar({ editor, images, onUploaded }: { editor: Editor; images: LibraryImage[]; onUploaded: (image: LibraryImage) => void }) {
  const [, rerender] = useState(0);
  useEffect(() => {
    const refresh = () => rerender((n) => n + 1);
    editor.on("selectionUpdate", refresh);
    editor.on("transaction", refresh);
    return () => {
      editor.off("selectionUpdate", refresh);
      editor.off("transaction", refresh);
    };
  }, [editor]);
  const chain = () => editor.chain().focus();
  const button = (label: string, shortcut: string | null, active: boolean, run: () => void) => (
    <button key={label} type="button" aria-pressed={active} title={shortcut ? `${label} (${shortcut})` : label} onClick={run} className={`rounded px-2 py-1 ${active ? "bg-ink text-paper" : "border border-rule"}`}>
      {label}
    </button>
  );
  const [picking, setPicking] = useState(false);
  const insert = (image: LibraryImage) => {
    const attrs: FigureAttrs = { src: image.src, alt: image.alt, caption: image.caption, credit: image.credit, mediaId: image.id };
    chain().insertFigure(attrs).run();
    setPicking(false);
  };
  return (
    <div role="toolbar" aria-label="Formatting" className="sticky top-0 z-10 flex flex-wrap gap-1 bg-paper py-2 text-sm">
      {button("Bold", "Ctrl+B", editor.isActive("bold"), () => chain().toggleBold().run())}
      {button("Italic", "Ctrl+I", editor.isActive("italic"), () => chain().toggleItalic().run())}
      {button("Link", null, editor.isActive("link"), () => {
        const current = editor.getAttributes("link").href as string | undefined;
        const href = window.prompt("Link address (https://…, mailto: or /path)", current ?? "https://");
        if (href === null) return;
        if (href.trim() === "") chain().unsetLink().run();
        else chain().extendMarkRange("link").setLink({ href: href.trim() }).run();
      })}
      {button("Heading", "Ctrl+Alt+2", editor.isActive("heading", { level: 2 }), () => chain().toggleHeading({ level: 2 }).run())}
      {button("Subheading", "Ctrl+Alt+3", editor.isActive("heading", { level: 3 }), () => chain().toggleHeading({ level: 3 }).run())}
      {button("Bulleted list", "Ctrl+Shift+8", editor.isActive("bulletList"), () => chain().toggleBulletList().run())}
      {button("Numbered list", "Ctrl+Shift+7", editor.isActive("orderedList"), () => chain().toggleOrderedList().run())}
      {button("Quote", "Ctrl+Shift+B", editor.isActive("blockquote"), () => chain().toggleBlockquote().run())}
      {button("Pull quote", null, editor.isActive("pullQuote"), () => chain().togglePullQuote().run())}
      {button("Rule", null, false, () => chain().setHorizontalRule().run())}
      {button("Image", null, picking, () => setPicking((p) => !p))}
      {button("Undo", "Ctrl+Z", false, () => chain().undo().run())}
      {button("Redo", "Ctrl+Shift+Z", false, () => chain().redo().run())}
      {picking && (
        <>
          <ImagePicker images={images} onPick={insert} />
          <ImageUpload
            idPrefix="figure-upload"
            disabled={false}
            onUploaded={(image) => {
              onUploaded(image);
              insert(image);
            }}
          />
        </>
      )}
    </div>
  );
}

function ImagePicker({ images, onPick }: { images: LibraryImage[]; onPick: (image: LibraryImage) => void }) {
  if (images.length === 0) return <p className="w-full text-sm">No image with alt text yet: add images and their alt text in the <a href="/editor/media">media library</a>.</p>;
  return (
    <ul aria-label="Images from the library" className="grid w-full grid-cols-3 gap-2 sm:grid-cols-4">
      {images.map((image) => (
        <li key={image.id}>
          <button type="button" onClick={() => onPick(image)} className="w-full rounded border border-rule p-1 text-left text-xs">
            <img src={image.src} alt="" className="aspect-video w-full object-cover" />
            <span className="line-clamp-2">{image.alt}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function AuthorsField({ authorIds, people, disabled, onChange }: { authorIds: string[]; people: Choice[]; disabled: boolean; onChange: (ids: string[]) => void }) {
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? "Unknown";
  const move = (index: number, by: number) => {
    const next = [...authorIds];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };
  return (
    <fieldset className="space-y-2 rounded border border-rule p-3">
      <legend className="px-1 font-semibold">Authors (in byline order)</legend>
      <ol className="space-y-1">
        {authorIds.map((id, index) => (
          <li key={id} className="flex items-center justify-between gap-2">
            <span>{name(id)}</span>
            <span className="flex gap-1">
              <button type="button" disabled={disabled || index === 0} onClick={() => move(index, -1)} aria-label={`Move ${name(id)} up`} className="rounded border border-rule px-1">
                ↑
              </button>
              <button type="button" disabled={disabled || index === authorIds.length - 1} onClick={() => move(index, 1)} aria-label={`Move ${name(id)} down`} className="rounded border border-rule px-1">
                ↓
              </button>
              <button type="button" disabled={disabled || authorIds.length === 1} onClick={() => onChange(authorIds.filter((a) => a !== id))} aria-label={`Remove ${name(id)}`} className="rounded border border-rule px-1">
                ×
              </button>
            </span>
          </li>
        ))}
      </ol>
      <label htmlFor="add-author" className="block">
        Add an author
      </label>
      <select id="add-author" value="" disabled={disabled} onChange={(e) => e.target.value && onChange([...authorIds, e.target.value])} className="w-full rounded border border-rule bg-paper px-2 py-1">
        <option value="">Choose…</option>
        {people
          .filter((p) => !authorIds.includes(p.id))
          .map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
      </select>
    </fieldset>
  );
}

function HeroField({ hero, images, disabled, onChange, onUploaded }: { hero: Fields["hero"]; images: LibraryImage[]; disabled: boolean; onChange: (hero: Fields["hero"]) => void; onUploaded: (image: LibraryImage) => void }) {
  const choose = (image: LibraryImage | undefined) => onChange(image ? { mediaId: image.id, src: image.src, alt: image.alt, caption: image.caption ?? "", credit: image.credit ?? "" } : null);
  return (
    <fieldset className="space-y-2 rounded border border-rule p-3">
      <legend className="px-1 font-semibold">Hero image</legend>
      {hero && <img src={hero.src} alt={hero.alt} className="w-full rounded" />}
      <label htmlFor="hero-image" className="block">
        Image from the library
      </label>
      <select
        id="hero-image"
        value={hero?.mediaId ?? ""}
        disabled={disabled}
        onChange={(e) => choose(images.find((i) => i.id === e.target.value))}
        className="w-full rounded border border-rule bg-paper px-2 py-1"
      >
        <option value="">No hero image</option>
        {hero && !images.some((i) => i.id === hero.mediaId) && <option value={hero.mediaId}>{hero.alt || "Current image"}</option>}
        {images.map((image) => (
          <option key={image.id} value={image.id}>
            {image.alt.slice(0, 80)}
          </option>
        ))}
      </select>
      {hero && (
        <>
          <TextField id="hero-alt" label="Alt text (required to publish)" value={hero.alt} disabled={disabled} maxLength={500} onChange={(alt) => onChange({ ...hero, alt })} />
          <TextField id="hero-caption" label="Caption" value={hero.caption} disabled={disabled} maxLength={1000} onChange={(caption) => onChange({ ...hero, caption })} />
          <TextField id="hero-credit" label="Credit" value={hero.credit} disabled={disabled} maxLength={300} onChange={(credit) => onChange({ ...hero, credit })} />
        </>
      )}
      <ImageUpload
        idPrefix="hero-upload"
        disabled={disabled}
        onUploaded={(image) => {
          onUploaded(image);
          choose(image);
        }}
      />
    </fieldset>
  );
}

const TIME_ZONES = ["UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "America/Chicago", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"];

function PublishControls({ status, siteTimeZone, onStep }: { status: EditableArticle["status"]; siteTimeZone: string; onStep: (operation: string, extra?: Record<string, string>) => Promise<void> }) {
  const [at, setAt] = useState("");
  const [zone, setZone] = useState(siteTimeZone);
  const zones = TIME_ZONES.includes(siteTimeZone) ? TIME_ZONES : [siteTimeZone, ...TIME_ZONES];
  const live = status === "published" || status === "scheduled";
  return (
    <div className="space-y-2">
      {status !== "published" && (
        <button type="button" onClick={() => void onStep("publish")} className="w-full rounded bg-accent px-3 py-2 font-semibold text-paper">
          Publish
        </button>
      )}
      {status !== "published" && (
        <fieldset className="space-y-1 rounded border border-rule p-2">
          <legend className="px-1 font-semibold">Schedule</legend>
          <label htmlFor="schedule-at" className="block">
            Date and time
          </label>
          <input id="schedule-at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} className="w-full rounded border border-rule bg-paper px-2 py-1" />
          <label htmlFor="schedule-zone" className="block">
            Time zone
          </label>
          <select id="schedule-zone" value={zone} onChange={(e) => setZone(e.target.value)} className="w-full rounded border border-rule bg-paper px-2 py-1">
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
          <button type="button" disabled={!at} onClick={() => void onStep("schedule", { at, timeZone: zone })} className="w-full rounded border border-rule px-3 py-1 font-semibold disabled:opacity-50">
            Schedule
          </button>
        </fieldset>
      )}
      {live && (
        <button type="button" onClick={() => void onStep("unpublish")} className="w-full rounded border border-rule px-3 py-2 font-semibold">
          Unpublish
        </button>
      )}
      {status !== "archived" && (
        <button type="button" onClick={() => void onStep("archive")} className="w-full rounded border border-rule px-3 py-2">
          Archive
        </button>
      )}
    </div>
  );
}

// what a merge chooses between, field by field (each may span several inputs)
type MergeField = "title" | "dek" | "body" | "details" | "seo";
const MERGE_FIELDS: { key: MergeField; label: string; fields: (keyof Fields)[] }[] = [
  { key: "title", label: "Title", fields: ["title"] },
  { key: "dek", label: "Dek", fields: ["dek"] },
  { key: "body", label: "Body", fields: [] },
  { key: "details", label: "Slug, section, tags, authors, hero and source", fields: ["slug", "sectionId", "tags", "authorIds", "hero", "sourceName", "sourceUrl", "isFeatured"] },
  { key: "seo", label: "SEO title, description and canonical URL", fields: ["seoTitle", "seoDescription", "canonicalUrl"] },
];

type Version = { fields: Fields; body: unknown };

/** Whether two versions differ in a merge field (documents compared by content, not key order). */
function differsIn(field: (typeof MERGE_FIELDS)[number], a: Version, b: Version): boolean {
  return field.key === "body" ? canonicalJson(a.body) !== canonicalJson(b.body) : field.fields.some((key) => canonicalJson(a.fields[key]) !== canonicalJson(b.fields[key]));
}

function ConflictView({ theirs, mine, base, onKeepTheirs, onKeepMine, onMerge }: { theirs: EditableArticle; mine: Version; base: Version; onKeepTheirs: () => void; onKeepMine: () => void; onMerge: (mineFor: Set<MergeField>) => void }) {
  const their: Version = { fields: fieldsOf(theirs), body: theirs.body };
  const differs = MERGE_FIELDS.filter((field) => differsIn(field, their, mine));
  // the merge starts from what each side changed: mine where I edited the part since my last save,
  // theirs where only they did
  const [mineFor, setMineFor] = useState<Set<MergeField>>(() => new Set(differs.filter((field) => differsIn(field, mine, base)).map((field) => field.key)));
  return (
    <section aria-label="Conflict" className="space-y-3 rounded border-2 border-accent p-3 text-sm">
      <h2 className="font-serif text-xl font-bold">Someone else saved this article while you were editing</h2>
      <p role="alert">Nothing is lost: compare the two versions and keep either, or merge them field by field. Their version is already in the revision history; yours is kept there too before any of it is replaced.</p>
      <div className="grid gap-3 md:grid-cols-2">
        <div className="rounded border border-rule p-2">
          <h3 className="font-semibold">Theirs (version {theirs.version})</h3>
          <p className="font-semibold" data-conflict="theirs-title">
            {theirs.title}
          </p>
          <p className="whitespace-pre-wrap" data-conflict="theirs-body">
            {plainText(theirs.body)}
          </p>
        </div>
        <div className="rounded border border-rule p-2">
          <h3 className="font-semibold">Yours</h3>
          <p className="font-semibold" data-conflict="mine-title">
            {mine.fields.title}
          </p>
          <p className="whitespace-pre-wrap" data-conflict="mine-body">
            {plainText(mine.body)}
          </p>
        </div>
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={onKeepMine} className="rounded bg-ink px-3 py-1 font-semibold text-paper">
          Keep mine
        </button>
        <button type="button" onClick={onKeepTheirs} className="rounded border border-rule px-3 py-1 font-semibold">
          Keep theirs
        </button>
      </div>
      {differs.length > 1 && (
        <fieldset className="space-y-2 rounded border border-rule p-2">
          <legend className="px-1 font-semibold">Or merge: choose each part</legend>
          {differs.map((field) => (
            <div key={field.key} role="radiogroup" aria-label={field.label} className="flex flex-wrap items-center gap-3">
              <span className="min-w-40 font-semibold">{field.label}</span>
              {(["mine", "theirs"] as const).map((side) => (
                <label key={side} className="flex items-center gap-1">
                  <input
                    type="radio"
                    name={`merge-${field.key}`}
                    checked={(side === "mine") === mineFor.has(field.key)}
                    onChange={() =>
                      setMineFor((current) => {
                        const next = new Set(current);
                        if (side === "mine") next.add(field.key);
                        else next.delete(field.key);
                        return next;
                      })
                    }
                  />
                  {side === "mine" ? "Mine" : "Theirs"}
                </label>
              ))}
            </div>
          ))}
          <button type="button" onClick={() => onMerge(mineFor)} className="rounded border border-rule px-3 py-1 font-semibold">
            Save the merge
          </button>
        </fieldset>
      )}
    </section>
  );
}

function PreviewControls({ articleId, flush }: { articleId: string; flush: () => Promise<boolean> }) {
  const [shared, setShared] = useState<{ url: string; expiresAt: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const href = `/api/staff/articles/${articleId}/preview`;
  async function share() {
    setProblem(null);
    const response = await fetch(`/api/staff/articles/${articleId}/share`, { method: "POST", headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
    const answer = (await response.json().catch(() => ({}))) as { url?: string; expiresAt?: string; error?: string };
    if (response.ok && answer.url && answer.expiresAt) setShared({ url: answer.url, expiresAt: answer.expiresAt });
    else setProblem(answer.error ?? `No link could be made (${response.status}).`);
  }
  return (
    <div className="space-y-2">
      <a
        href={href}
        target="_blank"
        rel="noopener"
        className="block rounded border border-rule px-3 py-2 text-center font-semibold"
        onClick={(event) => {
          // the preview shows what is saved: save first when there are changes
          event.preventDefault();
          void flush().then((saved) => saved && window.open(href, "_blank", "noopener"));
        }}
      >
        Preview
      </a>
      <button type="button" onClick={() => void share()} className="w-full rounded border border-rule px-3 py-2">
        Share preview link
      </button>
      {shared && (
        <div>
          <label htmlFor="preview-link" className="block font-semibold">
            Preview link (until {new Date(shared.expiresAt).toLocaleString()})
          </label>
          <input id="preview-link" readOnly value={shared.url} onFocus={(e) => e.target.select()} className="w-full rounded border border-rule bg-paper px-2 py-1 text-xs" />
        </div>
      )}
      {problem && <p role="alert">{problem}</p>}
    </div>
  );
}
