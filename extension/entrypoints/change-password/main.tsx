import { render } from "preact";
import { ChangePasswordPage } from "../../change-password/change-password-page.js";
import { setPageLanguage, t } from "../../i18n.js";
import "../../ui/theme.css";
import "../../registration/registration.css";

const root = document.getElementById("app");
if (root) {
  setPageLanguage(document.documentElement);
  document.title = t("changeTitle");
  render(<ChangePasswordPage />, root);
}
