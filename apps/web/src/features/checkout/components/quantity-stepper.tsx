export interface QuantityStepperProps {
  /** The product's name, for the controls' labels. */
  name: string;
  value: number;
  max: number;
  onChange(value: number): void;
  disabled?: boolean;
}

/** − [n] + : a quantity from 0 to `max`, by buttons or typed. */
export function QuantityStepper({ name, value, max, onChange, disabled = false }: QuantityStepperProps) {
  const set = (n: number) => onChange(Math.max(0, Math.min(max, Number.isFinite(n) ? Math.trunc(n) : 0)));
  return (
    <div className="stepper">
      <button
        type="button"
        className="stepper__button"
        aria-label={`One fewer ${name}`}
        onClick={() => set(value - 1)}
        disabled={disabled || value <= 0}
      >
        −
      </button>
      <input
        className="stepper__input"
        type="number"
        inputMode="numeric"
        min={0}
        max={max}
        value={value}
        aria-label={`Quantity of ${name}`}
        onChange={(event) => set(event.currentTarget.valueAsNumber)}
        disabled={disabled}
      />
      <button
        type="button"
        className="stepper__button"
        aria-label={`One more ${name}`}
        onClick={() => set(value + 1)}
        disabled={disabled || value >= max}
      >
        +
      </button>
    </div>
  );
}
