import { Wizard } from "../../extension/wizard/wizard.js";
import { startPage } from "../self-service/start-page.js";
import { webResetsClient, webWizardHost } from "../self-service/web-resets-client.js";

startPage("actionTitle", () => <Wizard client={webResetsClient} host={webWizardHost} />);
