import { useId } from "react";

type Option = { value: string; label: string };

type SelectFieldProps = {
  label: string;
  value: string;
  options: ReadonlyArray<string | Option>;
  /** Adds a first option with value "" (e.g. "All codes"), for filters where empty means no filter. */
  allLabel?: string;
  /** While the options are still loading (screen readers say so). */
  busy?: boolean;
  onChange: (value: string) => void;
};

/** A labelled select in the filter-bar style; options are plain strings or value/label pairs. */
export function SelectField({ label, value, options, allLabel, busy, onChange }: SelectFieldProps) {
  const id = useId();
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        className="input"
        value={value}
        aria-busy={busy}
        onChange={(event) => onChange(event.target.value)}
      >
        {allLabel !== undefined && <option value="">{allLabel}</option>}
        {options.map((option) => {
          const { value: optionValue, label: optionLabel } =
            typeof option === "string" ? { value: option, label: option } : option;
          return (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          );
        })}
      </select>
    </div>
  );
}
