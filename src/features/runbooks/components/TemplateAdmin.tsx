import { useState, type FormEvent } from "react";
import { EVIDENCE_LABELS, type EvidenceSourceName } from "@convex/runbooks/shared";
import { useMutationState } from "@/lib/useMutationState";
import { ErrorNotice } from "@/components/ErrorNotice";
import { TextField } from "@/components/FormField";
import { SkeletonRows } from "@/components/Skeleton";
import { Timestamp } from "@/components/Timestamp";
import { useRunbookTemplate, useSaveTemplateVersion } from "../api";
import { pickTemplate } from "../Runbooks.utils";
import type { Board, TemplateDetail } from "../types";
import { SelectField } from "@/components/SelectField";

const EVIDENCE_SOURCES = Object.keys(EVIDENCE_LABELS) as EvidenceSourceName[];

type TemplateAdminProps = {
  board: Board;
  slug: string | undefined;
  onSlugChange: (slug: string | undefined) => void;
};

/** Admins: the team's time zone, and the template editor (each save is a new version). */
export function TemplateAdmin({ board, slug, onSlugChange }: TemplateAdminProps) {
  const { templates, selected } = pickTemplate(board, slug);
  return (
    <section aria-labelledby="templates-heading" className="stack">
      <h2 id="templates-heading">Templates</h2>
      <p className="field-hint">
        Periods start at midnight in the team&apos;s time zone, <strong>{board.timeZone}</strong>, which an
        admin sets on the Settings page.
      </p>
      {selected !== undefined && (
        <>
          <SelectField
            label="Template to edit"
            value={selected.slug}
            options={templates.map((template) => ({ value: template.slug, label: template.title }))}
            onChange={onSlugChange}
          />
          <LoadedEditor templateId={selected._id} />
        </>
      )}
    </section>
  );
}

function LoadedEditor({ templateId }: { templateId: TemplateDetail["_id"] }) {
  const template = useRunbookTemplate(templateId);
  if (template === undefined) {
    return <SkeletonRows label="Loading the template…" rows={4} />;
  }
  // A new version (saved here or elsewhere) resets the draft.
  return <TemplateEditor key={`${template._id}|${template.currentVersion}`} template={template} />;
}

type DraftItem = {
  /** Stable key of an existing item; a local id for new ones. */
  id: string;
  key: string | undefined;
  text: string;
  help: string;
  link: string;
  evidence: EvidenceSourceName | "";
};

function toDraft(template: TemplateDetail): DraftItem[] {
  return template.items.map((item) => ({
    id: item.key,
    key: item.key,
    text: item.text,
    help: item.help ?? "",
    link: item.link ?? "",
    evidence: item.evidence ?? "",
  }));
}

let newItemCounter = 0;

function TemplateEditor({ template }: { template: TemplateDetail }) {
  const { run: save, pending, error } = useMutationState(useSaveTemplateVersion());
  const [title, setTitle] = useState(template.title);
  const [description, setDescription] = useState(template.description);
  const [items, setItems] = useState(() => toDraft(template));

  function update(index: number, change: Partial<DraftItem>) {
    setItems((current) => current.map((item, at) => (at === index ? { ...item, ...change } : item)));
  }

  function move(index: number, by: number) {
    setItems((current) => {
      const next = [...current];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item!);
      return next;
    });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await save({
      templateId: template._id,
      expectedVersion: template.currentVersion,
      title,
      description,
      items: items.map((item) => ({
        ...(item.key === undefined ? {} : { key: item.key }),
        text: item.text,
        ...(item.help.trim() === "" ? {} : { help: item.help }),
        ...(item.link.trim() === "" ? {} : { link: item.link }),
        ...(item.evidence === "" ? {} : { evidence: item.evidence }),
      })),
    });
  }

  const latest = template.versions[0];
  return (
    <form
      className="card stack template-editor"
      aria-label={`Edit ${template.title}`}
      onSubmit={(event) => void submit(event)}
    >
      <p className="muted">
        Version {template.currentVersion}
        {latest !== undefined && (
          <>
            {" "}
            · saved by {latest.createdBy} <Timestamp ms={latest.createdAt} />
          </>
        )}
        . Saving writes version {template.currentVersion + 1}: runs already started keep their wording; the
        next period or on-demand run uses the new one.
      </p>
      <TextField label="Title" value={title} maxLength={120} onValueChange={setTitle} />
      <TextField label="Description" value={description} maxLength={500} onValueChange={setDescription} />
      <ol className="template-items">
        {items.map((item, index) => (
          <li key={item.id} className="template-item">
            <div className="template-item-fields">
              <TextField
                inline="grow"
                label={`Item ${index + 1}`}
                value={item.text}
                maxLength={300}
                onValueChange={(text) => update(index, { text })}
              />
              <TextField
                inline
                label="Help text"
                value={item.help}
                maxLength={500}
                onValueChange={(help) => update(index, { help })}
              />
              <TextField
                inline
                label="Link"
                type="url"
                value={item.link}
                onValueChange={(link) => update(index, { link })}
              />
              <div className="field field-inline">
                <label htmlFor={`${item.id}-evidence`}>Evidence</label>
                <select
                  id={`${item.id}-evidence`}
                  className="input input-compact"
                  value={item.evidence}
                  onChange={(event) =>
                    update(index, { evidence: event.target.value as DraftItem["evidence"] })
                  }
                >
                  <option value="">None</option>
                  {EVIDENCE_SOURCES.map((source) => (
                    <option key={source} value={source}>
                      {EVIDENCE_LABELS[source]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div className="template-item-actions">
              <button
                type="button"
                className="button button-small"
                disabled={index === 0}
                aria-label={`Move item ${index + 1} up`}
                onClick={() => move(index, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button-small"
                disabled={index === items.length - 1}
                aria-label={`Move item ${index + 1} down`}
                onClick={() => move(index, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="button button-small button-danger-outline"
                aria-label={`Retire item ${index + 1}`}
                onClick={() => setItems((current) => current.filter((_, at) => at !== index))}
              >
                Retire
              </button>
            </div>
          </li>
        ))}
      </ol>
      <div className="toolbar">
        <button
          type="button"
          className="button"
          onClick={() =>
            setItems((current) => [
              ...current,
              { id: `new-${++newItemCounter}`, key: undefined, text: "", help: "", link: "", evidence: "" },
            ])
          }
        >
          Add item
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Saving…" : `Save as version ${template.currentVersion + 1}`}
        </button>
      </div>
      {error !== null && <ErrorNotice error={error} title="Template not saved" />}
    </form>
  );
}
