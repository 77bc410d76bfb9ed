/**
 * What an entry of a snapshot ZIP is, by its path — the rules Convex's importer applies
 * (`parse.rs`): `<prefix><table>/documents.jsonl`, `<prefix><table>/generated_schema.jsonl`,
 * `<prefix>_tables/documents.jsonl`, `<prefix>_storage/documents.jsonl` and
 * `<prefix>_storage/<id>[.<ext>]`, where the prefix is "" for the app's own tables and
 * `_components/<name>/…` for a component's.
 */
export type SnapshotPath =
  | { kind: "readme" }
  | { kind: "tableList"; component: string }
  | { kind: "storageList"; component: string }
  | { kind: "documents"; component: string; table: string }
  | { kind: "generatedSchema"; component: string; table: string }
  | { kind: "storageFile"; component: string; id: string }
  | { kind: "other" };

const DOCUMENTS = /^(.*\/)?([^/]+)\/documents\.jsonl$/;
const GENERATED_SCHEMA = /^(.*\/)?([^/]+)\/generated_schema\.jsonl$/;
const STORAGE_FILE = /^(.*\/)?_storage\/([^/.]+)(?:\.[^/]+)?$/;

export function classifySnapshotPath(name: string): SnapshotPath {
  if (name === "README.md") return { kind: "readme" };
  const documents = DOCUMENTS.exec(name);
  if (documents) {
    const component = documents[1] ?? "";
    if (documents[2] === "_tables") return { kind: "tableList", component };
    if (documents[2] === "_storage") return { kind: "storageList", component };
    return { kind: "documents", component, table: documents[2]! };
  }
  const schema = GENERATED_SCHEMA.exec(name);
  if (schema) return { kind: "generatedSchema", component: schema[1] ?? "", table: schema[2]! };
  const storage = STORAGE_FILE.exec(name);
  if (storage) return { kind: "storageFile", component: storage[1] ?? "", id: storage[2]! };
  return { kind: "other" };
}
