import { createRoute } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { methodResponseSchema, putSecurityQuestionsRequestSchema, securityQuestionsResponseSchema } from "../../../shared/api/me.js";
import { flowContext } from "../context.js";
import { recoveryMethods } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import { availableQuestions } from "../methods/question-catalog.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { putAnswers, registeredQuestionIds } from "../registration/security-questions.js";
import { authenticate } from "../sessions/authenticate.js";
import { errors, json, jsonBody, router } from "./openapi.js";
import { route } from "./access.js";

const PATH = "/v1/me/security-questions";

export const meSecurityQuestionRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: PATH,
      summary: "The questions to choose from, and which ones the user has answered",
      ...route.signedIn(),
      responses: { 200: json(securityQuestionsResponseSchema), ...errors(401, 403) },
    }),
    async (c) => {
      const db = c.get("db");
      const { results } = await authenticate(c, {}, (userId) => [
        currentPolicyQuery(db),
        db.select().from(recoveryMethods).where(and(eq(recoveryMethods.userId, userId), eq(recoveryMethods.type, "security_questions"))).limit(1),
      ]);
      const [policyRows, [method]] = results;
      const questions = availableQuestions(policyFromRow(policyRows[0]), c.get("locale") ?? "en");
      // Answers to questions the admin has since removed cannot be shown or asked: only offered ones count as registered.
      const registered = registeredQuestionIds(method).filter((id) => questions.some((q) => q.id === id));
      return c.json({ questions, registered }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: PATH,
      summary: "Answer security questions (replaces earlier answers); needs a fresh session",
      ...route.signedIn({ fresh: true }),
      request: jsonBody(putSecurityQuestionsRequestSchema),
      responses: { 200: json(methodResponseSchema), ...errors(400, 401, 403, 422) },
    }),
    async (c) => {
      const db = c.get("db");
      const { answers } = c.req.valid("json");
      const { auth, results } = await authenticate(c, { fresh: true }, (userId) => [currentPolicyQuery(db), directory.methodsOf(db, userId)]);
      const [policyRows, methods] = results;
      const method = await putAnswers({ ctx: flowContext(c), user: auth.row, policy: policyFromRow(policyRows[0]), methods, answers });
      return c.json({ method }, 200);
    },
  );
