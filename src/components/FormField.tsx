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
};

/** A form's labelled text input, in the stacked `field` style. */
export function TextField({ label, value, onValueChange, numeric, hint, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
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
