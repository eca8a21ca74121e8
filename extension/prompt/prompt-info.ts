/**
 * What the in-page prompt needs to know (spec §5), and nothing more: no username, no token, no
 * method hints, so nothing the page could read from it is worth stealing.
 */
export type PromptInfo =
  | {
      /** `required`: not registered yet; `reconfirm`: registered, but the info is due to be confirmed. */
      kind: "required" | "reconfirm";
      /** How many more times "Not now" may be chosen; the button is hidden at 0. */
      skipsLeft: number;
      orgName: string;
      /** `required` only: how many more methods a user who already has some must add (absent when they have none). */
      moreNeeded?: number;
    }
  | {
      /** The session can only change the password (api.md Sessions): a temporary password, or an expired one. */
      kind: "change";
      reason: "temporary" | "expired";
      orgName: string;
    }
  | {
      /** The password expires within the policy's notice window (issue 15). */
      kind: "expiring";
      daysLeft: number;
      orgName: string;
    };
