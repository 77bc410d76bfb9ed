import { useId, useState, type FormEvent, type ReactNode } from "react";

/** A typed filter: what it holds applies only on Apply (or Enter), so typing does not refetch per key. */
export type FilterField = {
  name: string;
  label: string;
  /** The filter's value in the URL, "" when unset. */
  value: string;
  type: "search" | "email" | "number";
  placeholder?: string;
};

type FilterBarProps = {
  /** The search landmark's name, e.g. "Filter tasks". */
  label: string;
  fields: FilterField[];
  /** Receives every typed field by name, trimmed; an empty one as undefined (no filter). */
  onApply: (drafts: Record<string, string | undefined>) => void;
  /** Choices that apply at once, e.g. SelectFields. */
  children?: ReactNode;
  /** Whether any filter is set, which offers "Clear filters". */
  filtered: boolean;
  onClear: () => void;
};

function urlValues(fields: FilterField[]): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.name, field.value]));
}

/** The filter bar every list page shares: typed fields, Apply, instant choices, Clear filters. */
export function FilterBar({ label, fields, onApply, children, filtered, onClear }: FilterBarProps) {
  const id = useId();
  const [drafts, setDrafts] = useState(() => urlValues(fields));
  const [synced, setSynced] = useState(() => urlValues(fields));
  // Follow the URL when it changes from outside (back button, pasted link, a link from another page).
  if (fields.some((field) => synced[field.name] !== field.value)) {
    setSynced(urlValues(fields));
    setDrafts(urlValues(fields));
  }

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(
      Object.fromEntries(
        fields.map((field) => {
          const draft = (drafts[field.name] ?? "").trim();
          return [field.name, draft === "" ? undefined : draft];
        }),
      ),
    );
  }

  return (
    <form className="filter-bar" role="search" aria-label={label} onSubmit={apply}>
      {fields.map((field) => (
        <div className="field field-inline" key={field.name}>
          <label htmlFor={`${id}-${field.name}`}>{field.label}</label>
          <input
            id={`${id}-${field.name}`}
            className={field.type === "number" ? "input input-number" : "input"}
            type={field.type}
            placeholder={field.placeholder}
            {...(field.type === "number" && { min: 0, step: "any", inputMode: "decimal" as const })}
            value={drafts[field.name] ?? ""}
            onChange={(event) => setDrafts({ ...drafts, [field.name]: event.target.value })}
          />
        </div>
      ))}
      <button type="submit" className="button">
        Apply
      </button>
      {children}
      {filtered && (
        <button type="button" className="link-button" onClick={onClear}>
          Clear filters
        </button>
      )}
    </form>
  );
}
