import { connectorFlows } from "./connector-flows.js";
import { SLAPD_DEFAULT_POLICY, startSlapd } from "./support/slapd.js";

connectorFlows({
  name: "OpenLDAP",
  // ppolicy asks for 18 characters here; the worker's default policy asks for 15.
  start: () => startSlapd({ policy: { minLength: 18 } }),
  passwordsExpire: false,
  lockoutThreshold: SLAPD_DEFAULT_POLICY.maxFailure,
  refusedByDirectory: "Sixteen-Chars-42",
});
