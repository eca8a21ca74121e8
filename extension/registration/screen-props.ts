/**
 * What every registration screen gets: the frame (org name, helpdesk; no progress) and the request
 * state. The same shape as a wizard step's, so one type: the two can't drift apart under shared UI.
 */
export type { StepBase as ScreenBase } from "../wizard/step-props.js";
