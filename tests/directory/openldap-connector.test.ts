import { connectorFlows } from "./connector-flows.js";
import { startSlapd } from "./support/slapd.js";

connectorFlows({
  name: "OpenLDAP",
  // ppolicy asks for 18 characters here; the worker's default policy asks for 15.
  start: () => startSlapd({ policy: { minLength: 18 } }),
  passwordsExpire: false,
  refusedByDirectory: "Sixteen-Chars-42",
});
