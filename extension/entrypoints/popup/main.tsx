import { render } from "preact";
import { setPageLanguage, t } from "../../i18n.js";
import "../../ui/theme.css";
import { backgroundResetsClient } from "../../wizard/background-resets-client.js";
import { popupHost } from "../../wizard/popup-host.js";
import { Wizard } from "../../wizard/wizard.js";

const root = document.getElementById("app");
if (root) {
  setPageLanguage(document.documentElement);
  document.title = t("actionTitle");
  render(<Wizard client={backgroundResetsClient} host={popupHost} />, root);
}
