/**
 * What the in-page prompt needs to know (spec §5), and nothing more: no username, no token, no
 * method hints, so nothing the page could read from it is worth stealing.
 */
export interface PromptInfo {
  /** `required`: not registered yet; `reconfirm`: registered, but the info is due to be confirmed. */
  kind: "required" | "reconfirm";
  /** How many more times "Not now" may be chosen; the button is hidden at 0. */
  skipsLeft: number;
  orgName: string;
}
