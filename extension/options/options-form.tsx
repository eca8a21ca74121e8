import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { ClientError } from "../api-client.js";
import { t } from "../i18n.js";
import { sendMessage, type Settings } from "../messaging.js";
import { PrimaryButton } from "../ui/buttons.js";
import { describeError } from "../wizard/errors.js";
import { normaliseWorkerUrl, originPattern } from "../worker-url.js";
import { SignInAccessSection } from "./signin-access.js";

/**
 * Firefox gives each install a random extension origin, which no worker can list for CORS, so there
 * the extension asks for access to the worker's origin; it must ask inside the click, before any await.
 */
function askFirefoxAccess(url: string): Promise<boolean> {
  if (!import.meta.env.FIREFOX) return Promise.resolve(true);
  return browser.permissions.request({ origins: [originPattern(url)] });
}

/** The options page: where the worker lives, unless the organisation's policy already says. */
export function OptionsForm() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Bumped after a save: the new worker's policy may list other sign-in pages.
  const [savedCount, setSavedCount] = useState(0);

  useEffect(() => {
    void sendMessage("settings.get").then((r) => {
      if (!r.ok) return setError(r.error);
      setSettings(r.value);
      // The saved URL arrives a message round trip after the first render: never overwrite what the
      // user has typed meanwhile (a service worker can be slow to wake).
      setUrl((typed) => typed || (r.value.workerUrl ?? ""));
    });
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const normalised = normaliseWorkerUrl(url);
    if (!normalised) return setError({ code: "invalid_url", message: "invalid_url" });
    const access = askFirefoxAccess(normalised);
    setBusy(true);
    setError(null);
    setSaved(null);
    void (async () => {
      const result = (await access) ? await sendMessage("settings.save", { url: normalised }) : null;
      setBusy(false);
      if (!result) return setError({ code: "forbidden", message: "permission refused" });
      if (!result.ok) return setError(result.error);
      setUrl(result.value.workerUrl);
      setSaved(t("optionsSaved", result.value.config.orgName));
      setSavedCount((n) => n + 1);
    })();
  };

  const managed = settings?.source === "managed";
  return (
    <main class="options" aria-labelledby="options-title">
      <h1 id="options-title">{t("optionsTitle")}</h1>
      <div role="alert" class={error ? "notice error" : "notice-empty"}>
        {error && <p>{error.code === "forbidden" && !managed ? t("errorPermissionRefused") : describeError(error).message}</p>}
      </div>
      <div role="status" class={saved ? "notice info" : "notice-empty"}>
        {saved && <p>{saved}</p>}
      </div>
      {managed ? (
        <>
          <p>{settings.workerUrl ? t("optionsManaged", settings.workerUrl) : t("optionsManagedInvalid")}</p>
          {import.meta.env.FIREFOX && settings.workerUrl && (
            <PrimaryButton busy={false} onClick={() => void askFirefoxAccess(settings.workerUrl!)}>
              {t("optionsAllowAccess")}
            </PrimaryButton>
          )}
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <label for="worker-url">{t("optionsUrlLabel")}</label>
          <p id="worker-url-hint" class="hint">
            {t("optionsUrlHint")}
          </p>
          <input
            id="worker-url"
            type="url"
            autoComplete="url"
            spellcheck={false}
            value={url}
            aria-describedby="worker-url-hint"
            aria-invalid={error ? "true" : undefined}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <PrimaryButton busy={busy}>{t("optionsSave")}</PrimaryButton>
        </form>
      )}
      <SignInAccessSection refresh={savedCount} />
    </main>
  );
}
