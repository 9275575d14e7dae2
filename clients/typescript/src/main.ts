// A partner app's first conversation with Stride, written against the types openapi-typescript
// generates from the schema (src/schema.d.ts) and sent with openapi-fetch. `make ts-client`
// generates the types, compiles this with `tsc --strict` and runs it against a live server.
//
// STRIDE_BASE_URL is the server; STRIDE_STAFF_EMAIL and STRIDE_STAFF_PASSWORD an admin of a
// clinic (the staff side only sets the patient up: registered, a program, an enrollment code).
import { randomUUID } from "node:crypto";
import { deepStrictEqual } from "node:assert/strict";
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

type CheckIn = components["schemas"]["CheckIn"];

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

let passed = 0;

function check(label: string, ok: boolean, detail?: unknown): void {
  if (!ok) {
    throw new Error(`${label}: ${JSON.stringify(detail)}`);
  }
  passed += 1;
  console.log(`  ok   ${label}`);
}

function bearer(token: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
  };
}

async function main(): Promise<void> {
  const baseUrl = setting("STRIDE_BASE_URL");
  const anonymous = createClient<paths>({ baseUrl });

  // Staff: sign in, register the patient, prescribe a program, issue an enrollment code.
  const login = await anonymous.POST("/api/v1/auth/login/", {
    body: { email: setting("STRIDE_STAFF_EMAIL"), password: setting("STRIDE_STAFF_PASSWORD") },
  });
  if (!login.data) throw new Error(`sign-in failed: ${JSON.stringify(login.error)}`);
  const staff = createClient<paths>({ baseUrl });
  staff.use(bearer(login.data.token));

  const patient = await staff.POST("/api/v1/patients/", {
    body: {
      first_name: "Alex",
      last_name: "Runner",
      date_of_birth: "1990-04-12",
      timezone: "Europe/Berlin",
    },
  });
  if (!patient.data) throw new Error(`registering failed: ${JSON.stringify(patient.error)}`);
  const patientId = patient.data.id;

  const exercises = await staff.GET("/api/v1/exercises/", { params: { query: { page_size: 2 } } });
  if (!exercises.data) throw new Error(`exercises: ${JSON.stringify(exercises.error)}`);
  const prescribed = exercises.data.results.map((exercise) => ({ exercise: exercise.id }));
  const program = await staff.POST("/api/v1/programs/", {
    body: { patient: patientId, exercises: prescribed },
  });
  check("staff prescribe a program", program.response.status === 201, program.error);

  const code = await staff.POST("/api/v1/patients/{id}/enrollment-code/", {
    params: { path: { id: patientId } },
  });
  if (!code.data) throw new Error(`enrollment code: ${JSON.stringify(code.error)}`);

  // The partner app: enroll with the code (no device name: it is optional).
  const enrolled = await anonymous.POST("/api/v1/app/enroll/", { body: { code: code.data.code } });
  if (!enrolled.data) throw new Error(`enroll failed: ${JSON.stringify(enrolled.error)}`);
  check("enroll with the code", enrolled.data.patient.id === patientId, enrolled.data.patient);
  const app = createClient<paths>({ baseUrl });
  app.use(bearer(enrolled.data.token));

  // A red-flag check-in, sent with only the fields it needs; then the same request again.
  const key = randomUUID();
  const body = {
    recorded_at: new Date(Date.now() - 60_000).toISOString(),
    pain_rest: 3,
    symptoms: ["calf_pain_swelling" as const],
  };
  const first = await app.POST("/api/v1/app/check-ins/", {
    params: { header: { "Idempotency-Key": key } },
    body,
  });
  if (!first.data) throw new Error(`check-in failed: ${JSON.stringify(first.error)}`);
  const stored: CheckIn = first.data;
  check("check-in stored (201)", first.response.status === 201, first.response.status);
  check(
    "a red flag advises urgent care",
    stored.advice.level === "seek_urgent_care" && stored.advice.rules.includes("red_flag_emergency"),
    stored.advice,
  );
  check("defaults filled in by the server", stored.ran === false && stored.note === "", stored);

  const replay = await app.POST("/api/v1/app/check-ins/", {
    params: { header: { "Idempotency-Key": key } },
    body,
  });
  check("the replay answers 201", replay.response.status === 201, replay.response.status);
  check(
    "the replay says it is one",
    replay.response.headers.get("Idempotent-Replayed") === "true",
    Object.fromEntries(replay.response.headers),
  );
  deepStrictEqual(replay.data, stored);
  check("the replay is the same check-in", true);

  // Today's program and the history.
  const today = await app.GET("/api/v1/app/program/");
  if (!today.data) throw new Error(`program: ${JSON.stringify(today.error)}`);
  check("today's program is the prescribed one", today.data.program !== null, today.data);
  check(
    "running is paused by the red flag or not started",
    ["paused", "not_started"].includes(today.data.run.status) && today.data.run.reasons.length > 0,
    today.data.run,
  );

  const history = await app.GET("/api/v1/app/check-ins/");
  if (!history.data) throw new Error(`history: ${JSON.stringify(history.error)}`);
  const ids = history.data.results.map((checkIn) => checkIn.id);
  check("the history holds the check-in once", ids.length === 1 && ids[0] === stored.id, ids);
  check("one page", history.data.next === null && history.data.previous === null, history.data);

  console.log(`ts-client: ${passed} passed, 0 failed`);
}

main().catch((error: unknown) => {
  console.error(`  FAIL ${error instanceof Error ? error.message : String(error)}`);
  console.log(`ts-client: ${passed} passed, 1 failed`);
  process.exit(1);
});
