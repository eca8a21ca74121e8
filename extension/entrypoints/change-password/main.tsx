import { render } from "preact";
import { backgroundChangeClient } from "../../change-password/background-change-client.js";
import { ChangePasswordPage } from "../../change-password/change-password-page.js";
import { setPageLanguage, t } from "../../i18n.js";
import "../../ui/theme.css";
import "../../registration/registration.css";

const root = document.getElementById("app");
if (root) {
  setPageLanguage(document.documentElement);
  document.title = t("changeTitle");
  render(<ChangePasswordPage client={backgroundChangeClient} />, root);
}
