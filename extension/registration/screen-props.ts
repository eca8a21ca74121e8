import type { ErrorView } from "../wizard/errors.js";
import type { FrameProps } from "../ui/step-frame.js";

/** What every registration screen gets: the frame (org name, helpdesk) and the request state. */
export interface ScreenBase {
  frame: FrameProps;
  error: ErrorView | null;
  info: string | null;
  busy: boolean;
}
