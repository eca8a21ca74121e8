import type { Ref } from "preact";

/**
 * Codes arrive pasted from mail or SMS ("1234 5678", "Your code: 1234-5678"): keep the digits only,
 * up to the method's length (spec §10).
 */
export function cleanCode(raw: string, length: number): string {
  return raw.replace(/\D+/g, "").slice(0, length);
}

interface Props {
  id: string;
  length: number;
  value: string;
  onChange: (code: string) => void;
  describedBy?: string;
  invalid?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}

/** No maxLength attribute: it would cut a pasted "1234 5678" before the spaces are stripped. */
export function CodeInput({ id, length, value, onChange, describedBy, invalid, inputRef }: Props) {
  return (
    <input
      id={id}
      ref={inputRef}
      class="code"
      type="text"
      inputMode="numeric"
      autoComplete="one-time-code"
      spellcheck={false}
      size={length + 2}
      value={value}
      aria-describedby={describedBy}
      aria-invalid={invalid ? "true" : undefined}
      onInput={(e) => {
        const cleaned = cleanCode(e.currentTarget.value, length);
        // Preact skips the re-render when the state is unchanged, so write the cleaned value back here.
        e.currentTarget.value = cleaned;
        onChange(cleaned);
      }}
    />
  );
}
