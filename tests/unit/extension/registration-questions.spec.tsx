import { fireEvent, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { alertText } from "./support/render-popup.js";
import { apiError, CONFIG, fakeWorker, type FakeWorker } from "./support/fake-worker.js";
import { meReply, method, openRegistrationPage, registration } from "./support/signin.js";

const QUESTIONS = ["First pet?", "Street you grew up on?", "Favourite teacher?", "First concert?"].map((text, i) => ({ id: `q${i + 1}`, text }));
const WITH_QUESTIONS = { ...CONFIG, methods: { required: 1, available: ["email", "sms", "totp", "security_questions"] as const } };
const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });
const selects = () => screen.getAllByLabelText("Question") as HTMLSelectElement[];
const answers = () => screen.getAllByLabelText("Your answer") as HTMLInputElement[];
const options = (s: HTMLSelectElement) => [...s.options].map((o) => o.value).filter(Boolean);

async function toQuestions(setup: (w: FakeWorker) => void = () => {}, registered: string[] = []) {
  const worker = fakeWorker()
    .on("GET /v1/config", { status: 200, body: WITH_QUESTIONS })
    .on("GET /v1/me", meReply())
    .on("GET /v1/me/security-questions", { status: 200, body: { questions: QUESTIONS, registered } });
  setup(worker);
  await openRegistrationPage();
  fireEvent.click(screen.getByRole("button", { name: "Set up security questions" }));
  await heading("Choose your security questions");
  return worker;
}

function fill(choice: string[], text: string[]) {
  selects().forEach((s, i) => fireEvent.change(s, { target: { value: choice[i] } }));
  answers().forEach((a, i) => fireEvent.input(a, { target: { value: text[i] } }));
  fireEvent.click(screen.getByRole("button", { name: "Save answers" }));
}

describe("registration page: security questions", () => {
  it("asks for the policy's number of questions, each chosen once, and saves the answers", async () => {
    const saved = method("mth_sq", "security_questions", "3 questions");
    const worker = await toQuestions((w) => w.on("PUT /v1/me/security-questions", { status: 200, body: { method: saved } }).on("GET /v1/me", meReply(), meReply(registration({ methods: [saved] }))));
    expect(selects()).toHaveLength(3);
    fireEvent.change(selects()[0]!, { target: { value: "q2" } });
    // A question chosen in one row is not offered in the others.
    expect(options(selects()[1]!)).toEqual(["q1", "q3", "q4"]);
    fill(["q2", "q1", "q4"], [" Rex ", "Elm Street", "Green Day"]);
    await heading("Set up password recovery");
    expect(screen.getByRole("status").textContent).toBe("Security questions saved.");
    expect(worker.calls.find((c) => c.route === "PUT /v1/me/security-questions")?.body).toEqual({
      answers: [
        { questionId: "q2", answer: "Rex" },
        { questionId: "q1", answer: "Elm Street" },
        { questionId: "q4", answer: "Green Day" },
      ],
    });
  });

  it.each([
    ["a question left unchosen", ["q1", "q2", ""], ["Rex", "Elm", "Day"], "Choose a question for each answer."],
    ["an answer too short", ["q1", "q2", "q3"], ["Rex", "El", "Green Day"], "Answer every question, using 3 to 40 characters."],
    ["an answer too long", ["q1", "q2", "q3"], ["Rex", "x".repeat(41), "Green Day"], "Answer every question, using 3 to 40 characters."],
    ["the same answer twice (case and spaces don't count)", ["q1", "q2", "q3"], ["Rex", "rex ", "Green Day"], "Give a different answer to each question."],
  ])("refuses %s before sending", async (_, choice, text, message) => {
    const worker = await toQuestions();
    fill(choice, text);
    expect(await alertText()).toBe(message);
    expect(worker.calls.some((c) => c.route === "PUT /v1/me/security-questions")).toBe(false);
  });

  it("explains answers the worker refused", async () => {
    await toQuestions((w) => w.on("PUT /v1/me/security-questions", apiError(400, "invalid_request", { details: [{ path: "answers", message: "…" }] })));
    fill(["q1", "q2", "q3"], ["Rex", "Elm Street", "Green Day"]);
    expect(await alertText()).toContain("Those answers weren't accepted.");
  });

  it("starts from the questions already registered when changing them", async () => {
    await toQuestions(() => {}, ["q3", "q1", "q2"]);
    expect(selects().map((s) => s.value)).toEqual(["q3", "q1", "q2"]);
    expect(answers().every((a) => a.value === "")).toBe(true);
  });
});
