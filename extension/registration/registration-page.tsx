import { useEffect, useMemo } from "preact/hooks";
import type { MethodType } from "../../shared/policy/method-types.js";
import { t } from "../i18n.js";
import { AddressScreen } from "./address-screen.js";
import { CodeScreen } from "./code-screen.js";
import { describeRegistrationError, type RegContext } from "./errors.js";
import { OverviewScreen } from "./overview-screen.js";
import { QuestionsScreen } from "./questions-screen.js";
import { ReauthScreen } from "./reauth-screen.js";
import type { ScreenBase } from "./screen-props.js";
import { ProblemScreen, RemoveScreen, SignedOutScreen } from "./simple-screens.js";
import { countOfType, removalLeavesIncomplete } from "./state.js";
import { TotpScreen } from "./totp-screen.js";
import { TotpStartScreen } from "./totp-start-screen.js";
import { useRegistration } from "./use-registration.js";

const ADDING: Partial<Record<RegContext, MethodType>> = { "add-email": "email", "add-sms": "sms", "add-totp": "totp" };

/** The registration page (spec §5): renders the current screen and wires its actions. */
export function RegistrationPage() {
  const r = useRegistration();
  useEffect(() => void r.load(), []);
  const { screen, view } = r;
  const error = useMemo(() => {
    if (!r.error) return null;
    const type = ADDING[r.error.context];
    return describeRegistrationError(r.error.error, r.error.context, type && view ? countOfType(view, type) : 0);
  }, [r.error]);

  const base: ScreenBase = {
    frame: { orgName: view?.orgName ?? r.fallback?.orgName ?? t("extName"), progress: null, helpdesk: view?.helpdesk ?? r.fallback?.helpdesk ?? null },
    error,
    info: r.info,
    busy: r.busy,
  };
  const onAdd = (type: MethodType) => {
    if (type === "security_questions") return void r.openQuestions();
    r.go({ name: type === "email" ? "add-email" : type === "sms" ? "add-sms" : "add-totp" });
  };

  switch (screen.name) {
    case "loading":
      return (
        <p class="loading" role="status" aria-busy="true">
          {t("loading")}
        </p>
      );
    case "signed-out":
      return <SignedOutScreen key="signed-out" base={base} reason={r.signedOutBecause} onClose={() => void r.finish()} />;
    case "problem":
      return <ProblemScreen key="problem" base={base} error={screen.error} onRetry={() => void r.load()} />;
    case "add-email":
    case "add-sms": {
      const kind = screen.name === "add-email" ? "email" : "sms";
      return <AddressScreen key={screen.name} base={base} kind={kind} onSubmit={(v) => void r.add(kind === "email" ? { type: "email", email: v } : { type: "sms", phone: v })} onBack={r.back} />;
    }
    case "add-totp":
      return <TotpStartScreen key="add-totp" base={base} onSubmit={(label) => void r.add({ type: "totp", ...(label ? { label } : {}) })} onBack={r.back} />;
    case "code":
      return <CodeScreen key={`code-${screen.method.id}`} base={base} method={screen.method} expiresAt={screen.expiresAt} resendAt={r.resendAt} onVerify={(c) => void r.verify(c)} onResend={() => void r.resend()} onBack={r.back} />;
    case "totp":
      return (
        <TotpScreen
          key={`totp-${screen.method.id}`}
          base={base}
          secret={screen.secret}
          otpauthUri={screen.otpauthUri}
          orgName={view?.orgName ?? ""}
          onVerify={(c) => void r.verify(c)}
          onCancel={() => void r.cancelTotp()}
        />
      );
    case "questions":
      return <QuestionsScreen key="questions" base={base} list={screen.list} count={view?.numberToRegister ?? 3} onSave={(a) => void r.saveAnswers(a)} onBack={r.back} />;
    case "remove":
      return (
        <RemoveScreen
          key={`remove-${screen.method.id}`}
          base={base}
          method={screen.method}
          leavesIncomplete={view ? removalLeavesIncomplete(view.registration, screen.method, view.available) : false}
          onRemove={() => void r.remove()}
          onBack={r.back}
        />
      );
    case "reauth":
      return <ReauthScreen key="reauth" base={base} username={view?.user.username ?? null} onSubmit={(p) => void r.reauth(p)} onCancel={r.cancelReauth} />;
    case "overview":
      return view ? (
        <OverviewScreen
          key="overview"
          base={base}
          view={view}
          onAdd={onAdd}
          onVerify={(m) => void r.continueVerifying(m)}
          onRemove={(m) => r.go({ name: "remove", method: m })}
          onConfirm={() => void r.confirm()}
          onFinish={() => void r.finish()}
        />
      ) : (
        <ProblemScreen key="problem" base={base} error={{ code: "bad_response", message: "no view" }} onRetry={() => void r.load()} />
      );
  }
}
