import { expect, it } from "vitest";
import { requestOf } from "../../../web/admin/src/users/create-user.js";
import { FIELD_MESSAGES, parseGroupList } from "../../../web/admin/src/users/user-fields.js";

const empty = { username: "", displayName: "", email: "", phone: "", password: "", roles: [], groups: "", passwordNeverExpires: false };

it("sends what the admin filled in: trimmed, empty fields left out, a password as typed, `user` among any roles", () => {
  expect(requestOf({ ...empty, username: " ann@x.io ", displayName: " Ann " })).toEqual({ username: "ann@x.io", displayName: "Ann" });
  expect(requestOf({ username: "ann", displayName: "Ann", email: " ann@x.io", phone: "+44 7911 123456 ", password: " secret ", roles: ["global_admin"], groups: "sales, , emea", passwordNeverExpires: true })).toEqual({
    username: "ann",
    displayName: "Ann",
    email: "ann@x.io",
    phone: "+44 7911 123456",
    password: " secret ",
    roles: ["user", "global_admin"],
    groups: ["sales", "emea"],
    passwordNeverExpires: true,
  });
});

it("reads a comma-separated group list once per group, and refuses one the schema would", () => {
  expect(parseGroupList(" sales, emea ,sales,, ")).toEqual({ groups: ["sales", "emea"], problem: null });
  expect(parseGroupList("")).toEqual({ groups: [], problem: null });
  expect(parseGroupList(`ok, ${"g".repeat(101)}`).problem).toBe(FIELD_MESSAGES.groups);
  expect(parseGroupList(Array.from({ length: 101 }, (_, i) => `g${i}`).join(",")).problem).toBe(FIELD_MESSAGES.groups);
});
