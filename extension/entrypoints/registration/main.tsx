import { render } from "preact";
import { t } from "../../i18n.js";
import { RegistrationPage } from "../../registration/registration-page.js";
import "../../ui/theme.css";
import "../../registration/registration.css";

const root = document.getElementById("app");
if (root) {
  document.documentElement.lang = t("htmlLang");
  document.title = t("regPageTitle");
  render(<RegistrationPage />, root);
}
