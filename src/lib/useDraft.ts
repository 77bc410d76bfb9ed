import { useState } from "react";

/**
 * A form's fields seeded from a live query. A field nobody has touched follows the live value; a
 * field the person edited keeps their text through every live update until `reset` (after a save),
 * so another admin's save or a resubscription never wipes what is being typed.
 */
export function useDraft<Key extends string>(
  live: Record<Key, string>,
): {
  values: Record<Key, string>;
  set: (key: Key, value: string) => void;
  reset: () => void;
} {
  const [edits, setEdits] = useState<Partial<Record<Key, string>>>({});
  const values = { ...live };
  for (const key of Object.keys(edits) as Key[]) values[key] = edits[key]!;
  return {
    values,
    set: (key, value) => setEdits((current) => ({ ...current, [key]: value })),
    reset: () => setEdits({}),
  };
}
