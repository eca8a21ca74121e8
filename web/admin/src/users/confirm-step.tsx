import { useEffect, useId, useRef } from "preact/hooks";

interface Props {
  title: string;
  /** What confirming will do, said before the admin commits to it. */
  consequence: string;
  confirmLabel: string;
  busy: boolean;
  problem: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * The confirm step every change to a user goes through. Its confirm button takes focus, so the
 * keyboard path is: the action, then Enter (or Escape to cancel).
 */
export function ConfirmStep({ title, consequence, confirmLabel, busy, problem, onConfirm, onCancel }: Props) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div class="confirm callout" role="group" aria-labelledby={titleId} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <h3 id={titleId}>{title}</h3>
      <p>{consequence}</p>
      {problem && (
        <div class="notice error" role="alert">
          {problem}
        </div>
      )}
      <div class="button-row">
        <button type="button" class="primary inline" ref={confirmRef} aria-disabled={busy ? "true" : undefined} onClick={() => !busy && onConfirm()}>
          {busy ? "Working…" : confirmLabel}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
