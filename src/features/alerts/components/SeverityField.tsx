import { ChoiceField } from "@/components/FormField";

type Severity = "warning" | "critical";

/** A rule's severity; a silence also offers "Any" (the empty value) to cover both. */
export function SeverityField<Value extends Severity | "">({
  value,
  onChange,
  any = false,
}: {
  value: Value;
  onChange: (value: Value) => void;
  any?: boolean;
}) {
  return (
    <ChoiceField label="Severity" value={value} onValueChange={(next) => onChange(next as Value)}>
      {any && <option value="">Any</option>}
      <option value="warning">Warning</option>
      <option value="critical">Critical</option>
    </ChoiceField>
  );
}
