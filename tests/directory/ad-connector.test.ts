import { connectorFlows } from "./connector-flows.js";
import { SAMBA_POLICY, startSambaDc } from "./support/samba.js";

connectorFlows({
  name: "Active Directory (Samba)",
  start: () => startSambaDc(),
  // Long enough for the worker; only lower-case letters, so AD's complexity rule refuses it.
  passwordsExpire: true,
  lockoutThreshold: SAMBA_POLICY.lockoutThreshold,
  refusedByDirectory: "quietmeadowharborlantern",
});
