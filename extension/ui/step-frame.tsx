import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { t } from "../i18n.js";
import type { ErrorView } from "../wizard/errors.js";
import type { Helpdesk } from "../wizard/state.js";
import { HelpdeskLink } from "./helpdesk-link.js";

export interface FrameProps {
  orgName: string;
  /** "Step n of N"; `total` is null while the number of steps isn't known yet ("Step 1"). */
  progress: { current: number; total: number | null } | null;
  helpdesk: Helpdesk | null;
}

interface Props extends FrameProps {
  title: string;
  error?: ErrorView | null;
  /** A calm status line ("We sent a new code"), announced politely. An error marked `calm` shows there too. */
  info?: string | null;
  /** The helpdesk footer is left off where the user is not stuck (the success screen). */
  showHelpdesk?: boolean;
  children: ComponentChildren;
}

/**
 * One screen of the popup (spec §10): org name, "Step n of N", one title, the content, and a
 * helpdesk link. The alert region exists before any error, so screen readers announce it when filled.
 */
export function StepFrame({ orgName, progress, helpdesk, title, error, info, showHelpdesk = true, children }: Props) {
  // A wait is not a failure: it goes to the polite status line, not the red alert (spec §10: calm).
  const alert = error && !error.calm ? error : null;
  const calm = error?.calm ? error : null;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // Each new screen starts at its first field, or its title when it has none, so keyboard and
  // screen-reader users are not left on a button that no longer exists. A layout effect moves focus
  // in the same render: a plain effect runs up to a frame later and would pull focus back from a
  // user who already tabbed on or picked another option.
  useLayoutEffect(() => {
    const field = bodyRef.current?.querySelector<HTMLElement>("input:not([type=hidden]):not([disabled]), select:not([disabled])");
    (field ?? headingRef.current)?.focus();
  }, []);

  return (
    <div class="frame">
      <header class="org-bar">
        <span class="org">{orgName}</span>
        {progress && <span class="progress">{progress.total === null ? t("stepOnly", progress.current) : t("stepOf", progress.current, progress.total)}</span>}
      </header>
      <main aria-labelledby="step-title">
        <h1 id="step-title" ref={headingRef} tabIndex={-1}>
          {title}
        </h1>
        <div role="alert" class={alert ? "notice error" : "notice-empty"}>
          {alert && <p>{alert.message}</p>}
          {alert?.items && alert.items.length > 0 && (
            <ul>
              {alert.items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )}
        </div>
        <div role="status" class={info || calm ? "notice info" : "notice-empty"}>
          {info && <p>{info}</p>}
          {calm && <p>{calm.message}</p>}
        </div>
        <div ref={bodyRef}>{children}</div>
      </main>
      {showHelpdesk && (
        <footer class="helpdesk">
          <HelpdeskLink helpdesk={helpdesk} />
        </footer>
      )}
    </div>
  );
}
