import { render } from "preact";
import { setPageLanguage, t } from "../../i18n.js";
import { OptionsForm } from "../../options/options-form.js";
import "../../ui/theme.css";

const root = document.getElementById("app");
if (root) {
  setPageLanguage(document.documentElement);
  document.title = t("optionsTitle");
  render(<OptionsForm />, root);
}
