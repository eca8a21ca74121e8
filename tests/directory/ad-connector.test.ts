import { connectorFlows } from "./connector-flows.js";
import { startSambaDc } from "./support/samba.js";

connectorFlows({
  name: "Active Directory (Samba)",
  start: () => startSambaDc(),
  // Long enough for the worker; only lower-case letters, so AD's complexity rule refuses it.
  passwordsExpire: true,
  refusedByDirectory: "quietmeadowharborlantern",
});
