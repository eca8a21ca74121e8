import { render } from "preact";
import { t } from "../../i18n.js";
import { OptionsForm } from "../../options/options-form.js";
import "../../ui/theme.css";

const root = document.getElementById("app");
if (root) {
  document.documentElement.lang = t("htmlLang");
  document.title = t("optionsTitle");
  render(<OptionsForm />, root);
}
