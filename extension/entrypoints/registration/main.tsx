import { render } from "preact";
import { setPageLanguage, t } from "../../i18n.js";
import { RegistrationPage } from "../../registration/registration-page.js";
import "../../ui/theme.css";
import "../../registration/registration.css";

const root = document.getElementById("app");
if (root) {
  setPageLanguage(document.documentElement);
  document.title = t("regPageTitle");
  render(<RegistrationPage />, root);
}
