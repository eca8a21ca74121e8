import { t } from "../i18n.js";
import type { Helpdesk } from "../wizard/state.js";

/** Only https links and plain addresses: the helpdesk comes from the policy, and a javascript: URL must never become a link. */
const safeUrl = (url: string | null): string | null => (url && /^https:\/\//i.test(url) ? url : null);

/** The way out for a stuck user (spec §10): the organisation's helpdesk page and/or address, else a plain hint. */
export function HelpdeskLink({ helpdesk }: { helpdesk: Helpdesk | null }) {
  const url = safeUrl(helpdesk?.url ?? null);
  const email = helpdesk?.email ?? null;
  if (!url && !email) return <span>{t("helpdeskNone")}</span>;
  return (
    <span>
      {t("helpdeskLead")}{" "}
      {url && (
        <a href={url} target="_blank" rel="noopener noreferrer">
          {t("helpdeskLink")}
        </a>
      )}
      {url && email && ` ${t("helpdeskOr")} `}
      {email && <a href={`mailto:${email}`}>{email}</a>}
    </span>
  );
}
