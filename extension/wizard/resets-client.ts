import type { PublicConfig } from "../../shared/api/config.js";
import type { ApiResult } from "../api-client.js";
import type { ResetFlow } from "../reset-flow.js";

/**
 * What the wizard needs from outside itself: the reset (run in the extension's background, or in the
 * web reset page itself, same-origin) and where the wizard's other buttons lead in its host.
 */
export interface ResetsClient extends ResetFlow {
  /** The worker's public configuration (org name, helpdesk, password rules, allowUnlock). */
  config(): Promise<ApiResult<PublicConfig>>;
  /** The organisation's name before the worker answers (an enterprise policy sets it), if known. */
  managedOrgName(): Promise<string | null>;
}

export interface WizardHost {
  close(): void;
  /** The change-password page, for a user who knows their password. */
  openChangePassword(): void;
  /** Only the extension has settings: where to point it at the worker. */
  openSettings?: () => void;
}
