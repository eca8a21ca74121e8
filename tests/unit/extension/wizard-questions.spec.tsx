import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { apiError, challenge, EMAIL, fakeWorker, QUESTIONS, reset, started } from "./support/fake-worker.js";
import { alertText, chooseMethod, heading, openPopup, startAs } from "./support/render-popup.js";

const CHALLENGES = "POST /v1/resets/rst_1/challenges";
const VERIFY = "POST /v1/resets/rst_1/verify";
const methods = [EMAIL, QUESTIONS];
const FIRST = [
  { id: "q-pet", text: "What was the name of your first pet?" },
  { id: "q-street", text: "What street did you grow up on?" },
  { id: "q-teacher", text: "Who was your favourite teacher?" },
];
const SECOND = [
  { id: "q-city", text: "In which city were you born?" },
  { id: "q-car", text: "What was your first car?" },
  { id: "q-food", text: "What is your favourite food?" },
];

function answerAll(answers: string[]) {
  answers.forEach((value, i) => fireEvent.input(screen.getByLabelText((FIRST[i] ?? SECOND[i])!.text), { target: { value } }));
}

async function atQuestions(setup: (w: ReturnType<typeof fakeWorker>) => void) {
  const worker = fakeWorker().on("POST /v1/resets", started({ methodsRequired: 2, methods }));
  setup(worker);
  await openPopup();
  await startAs();
  await chooseMethod(/security questions/, "Continue", "Answer your security questions");
  return worker;
}

describe("wizard: security questions", () => {
  it("shows each question as a labelled field and sends the trimmed answers", async () => {
    const worker = await atQuestions((w) =>
      w.on(CHALLENGES, challenge(QUESTIONS.id, "security_questions", FIRST)).on(VERIFY, { status: 200, body: reset({ methodsRequired: 2, methods, verifiedMethodIds: [QUESTIONS.id] }) }),
    );
    answerAll([" Rex ", "Elm Street", "Mrs Patel"]);
    fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    await heading("One more check");
    expect(worker.calls.find((c) => c.route === VERIFY)?.body).toEqual({
      methodId: QUESTIONS.id,
      answers: [
        { questionId: "q-pet", answer: "Rex" },
        { questionId: "q-street", answer: "Elm Street" },
        { questionId: "q-teacher", answer: "Mrs Patel" },
      ],
    });
  });

  it("asks for 3 to 40 characters per answer before sending", async () => {
    const worker = await atQuestions((w) => w.on(CHALLENGES, challenge(QUESTIONS.id, "security_questions", FIRST)));
    answerAll(["Rex", "ab", "Mrs Patel"]);
    fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    expect(await alertText()).toBe("Answer every question, using 3 to 40 characters.");
    expect(worker.calls.some((c) => c.route === VERIFY)).toBe(false);
  });

  it("after a wrong answer, fetches new questions and says so with the attempts left", async () => {
    const worker = await atQuestions((w) =>
      w
        .on(CHALLENGES, challenge(QUESTIONS.id, "security_questions", FIRST), challenge(QUESTIONS.id, "security_questions", SECOND))
        .on(VERIFY, apiError(400, "invalid_code", { details: [{ attemptsLeft: 2 }] })),
    );
    answerAll(["Rex", "Elm Street", "Mrs Patel"]);
    fireEvent.click(screen.getByRole("button", { name: "Verify" }));
    expect(await alertText()).toBe("At least one answer isn't right. Check your answers and try again. You have 2 attempts left.");
    await waitFor(() => expect(screen.getByLabelText(SECOND[0]!.text)).toBeTruthy());
    expect((screen.getByLabelText(SECOND[0]!.text) as HTMLInputElement).value).toBe("");
    expect(worker.calls.filter((c) => c.route === CHALLENGES)).toHaveLength(2);
  });
});
