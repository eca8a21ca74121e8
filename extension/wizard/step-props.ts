import type { FrameProps } from "../ui/step-frame.js";
import type { ErrorView } from "./errors.js";

/** What every step gets from the wizard: the frame (org, progress, helpdesk) and the request state. */
export interface StepBase {
  frame: FrameProps;
  error: ErrorView | null;
  info: string | null;
  busy: boolean;
}
