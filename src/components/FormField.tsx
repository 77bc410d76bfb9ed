import { useId, type InputHTMLAttributes, type ReactNode } from "react";

type TextFieldProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "value" | "onChange" | "inputMode"
> & {
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  /** Numbers get the narrow number input and the matching phone keyboard. */
  numeric?: "numeric" | "decimal";
  /** A sentence under the input that describes it to screen readers too. */
  hint?: ReactNode;
  /** Label beside the input, as in a filter bar; `grow` also lets it take the row's spare width. */
  inline?: boolean | "grow";
};

const FIELD_CLASS = { false: "field", true: "field field-inline", grow: "field field-inline field-grow" };

/** A form's labelled text input, in the stacked `field` style or inline in a bar. */
export function TextField({
  label,
  value,
  onValueChange,
  numeric,
  hint,
  inline = false,
  ...input
}: TextFieldProps) {
  const id = useId();
  const hintId = useId();
  return (
    <div className={FIELD_CLASS[`${inline}`]}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={numeric === undefined ? "input" : "input input-number"}
        inputMode={numeric}
        value={value}
        aria-describedby={hint === undefined ? undefined : hintId}
        onChange={(event) => onValueChange(event.target.value)}
        {...input}
      />
      {hint !== undefined && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A form's labelled select, in the stacked `field` style; the options are its children. */
export function ChoiceField({
  label,
  value,
  onValueChange,
  children,
}: {
  label: ReactNode;
  value: string;
  onValueChange: (value: string) => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="input" value={value} onChange={(event) => onValueChange(event.target.value)}>
        {children}
      </select>
    </div>
  );
}
