import { render } from "preact";
import "../../../extension/ui/theme.css";
import "./console.css";
import { App } from "./app.js";

render(<App />, document.getElementById("app")!);
