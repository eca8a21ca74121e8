import { render } from "preact";
import { t } from "../../i18n.js";
import "../../ui/theme.css";
import { backgroundResetsClient } from "../../wizard/background-resets-client.js";
import { popupHost } from "../../wizard/popup-host.js";
import { Wizard } from "../../wizard/wizard.js";

const root = document.getElementById("app");
if (root) {
  // The language of the strings actually shown (the locale files), so screen readers pronounce them right.
  document.documentElement.lang = t("htmlLang");
  document.title = t("actionTitle");
  render(<Wizard client={backgroundResetsClient} host={popupHost} />, root);
}
