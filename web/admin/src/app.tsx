import { useEffect, useState } from "preact/hooks";
import { call, whenUnauthorized } from "./api.js";
import { type Route, onLinkClick, useRoute } from "./router.js";
import { type AdminSession, clearSession, loadSession, saveSession } from "./session.js";
import { SignIn } from "./sign-in.js";
import { roleName } from "./format.js";
import { PolicyPage } from "./policy/policy-page.js";
import { CreateUser } from "./users/create-user.js";
import { ImportUsers } from "./users/import-users.js";
import { UserList } from "./users/user-list.js";
import { UserPage } from "./users/user-page.js";
import { AuditPage } from "./audit/audit-page.js";
import { ReportsPage } from "./reports/reports-page.js";

export function App() {
  const [session, setSession] = useState<AdminSession | null>(() => loadSession());
  const [expired, setExpired] = useState(false);
  const route = useRoute();

  useEffect(
    () =>
      whenUnauthorized(() => {
        clearSession();
        setSession(null);
        setExpired(true);
      }),
    [],
  );

  // Each screen's title names the page, so history and tabs say where one is.
  useEffect(() => {
    document.title = session ? `${titleOf(route)} · OpenSSPR admin` : "Sign in · OpenSSPR admin";
  }, [session, route]);

  if (!session) {
    return (
      <>
        {expired && (
          <p class="notice info page-notice" role="status">
            Your session ended. Sign in again.
          </p>
        )}
        <SignIn
          onSignedIn={(s) => {
            saveSession(s);
            setExpired(false);
            setSession(s);
          }}
        />
      </>
    );
  }

  async function signOut() {
    const token = session!.token;
    clearSession();
    setSession(null);
    await call("DELETE", "/v1/sessions/current", { token }).catch(() => {});
  }

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="console-bar">
        <a class="brand" href="/admin" onClick={onLinkClick}>
          OpenSSPR admin
        </a>
        <nav aria-label="Console">
          <a href="/admin/users" onClick={onLinkClick} aria-current={USER_SCREENS.includes(route.name) ? "page" : undefined}>
            Users
          </a>
          <a href="/admin/policy" onClick={onLinkClick} aria-current={route.name === "policy" ? "page" : undefined}>
            Policy
          </a>
          <a href="/admin/audit" onClick={onLinkClick} aria-current={route.name === "audit" ? "page" : undefined}>
            Audit log
          </a>
          <a href="/admin/reports" onClick={onLinkClick} aria-current={route.name === "reports" ? "page" : undefined}>
            Reports
          </a>
        </nav>
        <div class="who">
          <span>
            {session.user.displayName} <span class="muted">({session.user.roles.filter((r) => r !== "user").map(roleName).join(", ")})</span>
          </span>
          <button type="button" class="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" class="console-main">
        <Screen route={route} session={session} />
      </main>
    </>
  );
}

const USER_SCREENS: Route["name"][] = ["users", "user", "new-user", "import-users"];

function titleOf(route: Route): string {
  if (route.name === "users") return "Users";
  if (route.name === "user") return "User";
  if (route.name === "new-user") return "Create a user";
  if (route.name === "import-users") return "Import users";
  if (route.name === "policy") return "Policy";
  if (route.name === "audit") return "Audit log";
  if (route.name === "reports") return "Reports";
  return "Not found";
}

function Screen({ route, session }: { route: Route; session: AdminSession }) {
  if (route.name === "users") return <UserList session={session} search={route.search} />;
  if (route.name === "user") return <UserPage session={session} id={route.id} />;
  if (route.name === "new-user") return <CreateUser session={session} />;
  if (route.name === "import-users") return <ImportUsers session={session} />;
  if (route.name === "policy") return <PolicyPage session={session} />;
  if (route.name === "audit") return <AuditPage session={session} search={route.search} />;
  if (route.name === "reports") return <ReportsPage session={session} search={route.search} />;
  return (
    <>
      <h1>Nothing is here</h1>
      <p>
        <a href="/admin/users" onClick={onLinkClick}>
          Go to the users
        </a>
      </p>
    </>
  );
}
