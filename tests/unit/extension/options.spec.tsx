import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { OptionsForm } from "../../../extension/options/options-form.js";
import { workerUrlItem } from "../../../extension/storage.js";
import { fakeWorker, networkDown } from "./support/fake-worker.js";
import { alertText, startBackground } from "./support/render-popup.js";

async function openOptions() {
  startBackground();
  render(<OptionsForm />);
  return (await screen.findByLabelText("Password reset service address")) as HTMLInputElement;
}
const save = (input: HTMLInputElement, value: string) => {
  fireEvent.input(input, { target: { value } });
  fireEvent.click(screen.getByRole("button", { name: "Check and save" }));
};

describe("options page", () => {
  it("checks the address against /v1/config before saving it, then names the organisation", async () => {
    const worker = fakeWorker();
    save(await openOptions(), "sspr.example.test/");
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Connected to Example Corp. Use the toolbar button to reset your password."));
    expect(worker.calls[0]?.route).toBe("GET /v1/config");
    expect(await workerUrlItem.getValue()).toBe("https://sspr.example.test");
  });

  it("refuses plain http outside this computer, without any request", async () => {
    const worker = fakeWorker();
    save(await openOptions(), "http://sspr.example.test");
    expect(await alertText()).toContain("Enter an address starting with https://");
    expect(worker.calls).toHaveLength(0);
    expect(await workerUrlItem.getValue()).toBeNull();
  });

  it("accepts http on loopback, for the local worker of npm start", async () => {
    fakeWorker();
    save(await openOptions(), "http://127.0.0.1:8787");
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("Connected to Example Corp"));
    expect(await workerUrlItem.getValue()).toBe("http://127.0.0.1:8787");
  });

  it("does not save an address that does not answer", async () => {
    networkDown();
    save(await openOptions(), "https://sspr.example.test");
    expect(await alertText()).toContain("Check your internet connection");
    expect(await workerUrlItem.getValue()).toBeNull();
  });

  it("shows the saved address, but never over one the user typed before it arrived", async () => {
    await workerUrlItem.setValue("https://saved.example.test");
    startBackground();
    render(<OptionsForm />);
    const input = screen.getByLabelText("Password reset service address") as HTMLInputElement;
    fireEvent.input(input, { target: { value: "https://typed.example.test" } });
    await new Promise((r) => setTimeout(r, 50));
    expect(input.value).toBe("https://typed.example.test");

    render(<OptionsForm />, { container: document.body.appendChild(document.createElement("div")) });
    await waitFor(() => expect((screen.getAllByLabelText("Password reset service address")[1] as HTMLInputElement).value).toBe("https://saved.example.test"));
  });

  it("shows the address set by policy and offers no field", async () => {
    await fakeBrowser.storage.managed.set({ workerUrl: "https://managed.example.test" });
    startBackground();
    render(<OptionsForm />);
    await screen.findByText("Your organisation has set the service address: https://managed.example.test");
    expect(screen.queryByLabelText("Password reset service address")).toBeNull();
  });

  it("says so when the address set by policy is not usable, and still offers no field", async () => {
    await fakeBrowser.storage.managed.set({ workerUrl: "http://sspr.corp" });
    startBackground();
    render(<OptionsForm />);
    await screen.findByText(/the address it gave cannot be used/);
    expect(screen.queryByLabelText("Password reset service address")).toBeNull();
  });
});
