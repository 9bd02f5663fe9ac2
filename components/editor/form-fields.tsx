import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password-rules";

// Plain labelled fields for the staff forms: visible labels, hints tied to their input, no client JS.

type FieldProps = {
  name: string;
  label: string;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  defaultValue?: string;
  hint?: string;
  required?: boolean;
  maxLength?: number;
  minLength?: number;
};

export function Field({ name, label, type = "text", autoComplete, defaultValue, hint, required = true, maxLength, minLength }: FieldProps) {
  const hintId = hint ? `${name}-hint` : undefined;
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-semibold">
        {label}
      </label>
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
        required={required}
        maxLength={maxLength}
        minLength={minLength}
        aria-describedby={hintId}
        className="mt-1 w-full rounded border border-rule bg-paper px-3 py-2"
      />
      {hint && (
        <p id={hintId} className="mt-1 text-sm text-muted">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A field for choosing a password, with the rules the server enforces (lib/auth/password-rules). */
export function NewPasswordField({ name, label, hint = "not a common password." }: { name: string; label: string; hint?: string }) {
  return <Field name={name} label={label} type="password" autoComplete="new-password" minLength={MIN_PASSWORD_LENGTH} maxLength={256} hint={`At least ${MIN_PASSWORD_LENGTH} characters; ${hint}`} />;
}

export function Notice({ tone, children }: { tone: "error" | "info"; children: React.ReactNode }) {
  return (
    <p role={tone === "error" ? "alert" : "status"} className={tone === "error" ? "rounded border border-accent p-3 text-sm" : "rounded border border-rule p-3 text-sm"}>
      {children}
    </p>
  );
}

export function FormCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-16">
      <p className="text-center font-serif text-2xl font-bold">Top One Magazine</p>
      <h1 className="mt-6 font-serif text-3xl font-bold">{title}</h1>
      <div className="mt-6 space-y-4">{children}</div>
    </main>
  );
}

/**
 * One image setting (a profile photo, the site logo…): the current image, a file upload that
 * replaces it, and a remove button. Both post multipart forms to `action`; `kind` names which image.
 */
export function ImageSetting({ action, kind, label, hint, current, removeLabel }: { action: string; kind?: string; label: string; hint: string; current: { src: string; alt: string } | null; removeLabel: string }) {
  const id = `image-${kind ?? "photo"}`;
  return (
    <div className="space-y-3">
      {current ? <img src={current.src} alt={current.alt} className="max-h-32 w-auto rounded border border-rule" /> : <p className="text-sm text-muted">None yet.</p>}
      <form method="post" action={action} encType="multipart/form-data" className="space-y-2">
        {kind && <input type="hidden" name="image" value={kind} />}
        <label htmlFor={id} className="block text-sm font-semibold">
          {label}
        </label>
        <input id={id} name="file" type="file" required accept="image/jpeg,image/png,image/webp,image/avif,image/gif" aria-describedby={`${id}-hint`} className="block text-sm" />
        <p id={`${id}-hint`} className="text-sm text-muted">
          {hint} JPEG, PNG, WebP, AVIF or GIF.
        </p>
        <button type="submit" className="rounded bg-ink px-4 py-2 font-semibold text-paper">
          Upload {label.toLowerCase()}
        </button>
      </form>
      {current && (
        <form method="post" action={action} encType="multipart/form-data">
          {kind && <input type="hidden" name="image" value={kind} />}
          <input type="hidden" name="remove" value="1" />
          <button type="submit" className="rounded border border-rule px-3 py-1 text-sm">
            {removeLabel}
          </button>
        </form>
      )}
    </div>
  );
}
