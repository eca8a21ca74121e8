import type { ApiResult } from "../api-client.js";
import type { ChangePasswordRequest, ChangePasswordView } from "./view.js";

/** What the change-password page needs from its host: the extension's background, or the worker's web page. */
export interface ChangePasswordClient {
  load(): Promise<ApiResult<ChangePasswordView>>;
  change(request: ChangePasswordRequest): Promise<ApiResult<null>>;
  close(): Promise<void>;
}
