import { ChangePasswordPage } from "../../extension/change-password/change-password-page.js";
import { startPage } from "../self-service/start-page.js";
import { webChangeClient } from "../self-service/web-change-client.js";

startPage("changeTitle", () => <ChangePasswordPage client={webChangeClient} />);
