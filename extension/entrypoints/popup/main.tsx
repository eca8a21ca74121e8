import { render } from "preact";
import { setPageLanguage, t } from "../../i18n.js";
import "../../ui/theme.css";
import { Wizard } from "../../wizard/wizard.js";

const root = document.getElementById("app");
if (root) {
  setPageLanguage(document.documentElement);
  document.title = t("actionTitle");
  render(<Wizard />, root);
}
