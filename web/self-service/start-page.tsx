import { render, type ComponentChild } from "preact";
import { setMessageLookup, setPageLanguage, t, type MessageKey } from "../../extension/i18n.js";
import { loadMessages } from "./messages.js";
import "../../extension/ui/theme.css";
import "./self-service.css";

/** Renders a self-service page once its strings are loaded, with the page's language and title set from them. */
export function startPage(title: MessageKey, page: () => ComponentChild): void {
  const root = document.getElementById("app");
  if (!root) return;
  void loadMessages().then((lookup) => {
    setMessageLookup(lookup);
    setPageLanguage(document.documentElement);
    document.title = t(title);
    render(page(), root);
  });
}
