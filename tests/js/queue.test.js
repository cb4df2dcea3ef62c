import { test } from "node:test";
import assert from "node:assert/strict";
import { attendanceEntry, deleteEntry, idsOf, newId, normalize, pending, questionsIn, replacedBy, saveEntry, summary, undoPlan } from "../../static/js/desk/queue.js";

const tap = (n, extra = {}) => saveEntry({
  id: "tap", owner: "u1", branch: "a1", label: `Toeslagen × ${n}`, times: n, loggedAt: 1,
  bodies: Array.from({ length: n }, (_, i) => ({ id: `q${i}`, asked_at: "2026-12-04", topics: ["toeslagen"] })),
  ...extra,
});

test("an entry kept by the script before the modules reads as a tap of one", () => {
  const save = normalize({ id: "q", owner: "u1", body: { id: "q", topics: ["digid"] }, state: "waiting" });
  assert.equal(save.kind, "save");
  assert.deepEqual(save.bodies, [{ id: "q", topics: ["digid"] }]);
  assert.deepEqual(save.done, []);
  const undo = normalize({ id: "undo:q", kind: "delete", question: "q", owner: "u1" });
  assert.deepEqual(undo.questions, ["q"]);
  assert.deepEqual(normalize(save), save);  // read twice, the same
});

test("a batch of N is one entry whose questions are sent one by one", () => {
  const entry = tap(5);
  assert.equal(pending(entry).length, 5);
  assert.deepEqual(idsOf(entry), ["q0", "q1", "q2", "q3", "q4"]);
  assert.equal(questionsIn(entry), 5);
  const two = { ...entry, done: ["q0", "q1"] };
  assert.deepEqual(pending(two).map((b) => b.id), ["q2", "q3", "q4"]);
  assert.equal(questionsIn(two), 3);
});

test("undo of a batch takes back all of it: what waits leaves the queue, what arrived is deleted", () => {
  const ids = ["q0", "q1", "q2", "q3", "q4"];
  assert.deepEqual(undoPlan(tap(5), ids, null), { drop: true, remove: [] });  // nothing sent
  assert.deepEqual(undoPlan({ ...tap(5), done: ["q0", "q1"] }, ids, "q2"), { drop: true, remove: ["q0", "q1", "q2"] });
  assert.deepEqual(undoPlan(null, ids, null), { drop: false, remove: ids });  // all arrived
});

test("the undo of a tap is one entry with the ids to delete", () => {
  const undo = deleteEntry({ tap: "tap", questions: ["q0", "q1"], owner: "u1", branch: "a1", label: "x", loggedAt: 2 });
  assert.equal(undo.id, "undo:tap");
  assert.deepEqual(pending(undo), ["q0", "q1"]);
  assert.equal(questionsIn(undo), 1);
});

test("the queue counts questions, refused ones apart, and other people's apart", () => {
  const all = [
    tap(5),
    { ...tap(1), id: "b", state: "refused" },
    { ...tap(1), id: "c", state: "login" },
    { ...tap(2), id: "d", owner: "u2" },
  ];
  const s = summary(all, "u1");
  assert.equal(s.waiting, 6);  // five and one waiting for a log-in
  assert.equal(s.refused, 1);
  assert.equal(s.others, 2);
  assert.equal(s.login, true);
  assert.equal(s.mine.length, 3);
});

test("ids are UUID 4, also without crypto.randomUUID", () => {
  assert.match(newId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const old = { getRandomValues: (b) => b.fill(255) };
  assert.equal(newId(old), "ffffffff-ffff-4fff-bfff-ffffffffffff");
});

const count = (id, session, n, extra = {}) => ({
  ...attendanceEntry({ id, owner: "u1", branch: "a1", session, count: n, label: "Digicafé", name: "Digicafé", loggedAt: 3 }),
  ...extra,
});

test("a session's count is an entry of its own kind, kept as it is", () => {
  const entry = count("c", 12, 7);
  assert.equal(entry.kind, "attendance");
  assert.deepEqual(normalize(entry), entry);  // not read as an old save
  assert.deepEqual(pending(entry), [{ id: "c", count: 7 }]);
  assert.deepEqual(pending({ ...entry, done: ["c"] }), []);
  assert.deepEqual(idsOf(entry), ["c"]);
  assert.equal(questionsIn(entry), 0);  // not a question
});

test("a later count of a session replaces the earlier ones, whoever made them", () => {
  const all = [count("a", 12, 7), count("b", 12, 8, { owner: "u2", state: "refused" }), count("c", 13, 2), tap(1)];
  assert.deepEqual(replacedBy(all, count("d", 12, 9)), ["a", "b"]);
  assert.deepEqual(replacedBy(all, count("c", 13, 3)), []);  // itself, put again
});

test("the queue counts sessions' counts apart from questions", () => {
  const all = [tap(2), count("a", 12, 7), count("b", 13, 1, { state: "refused" }), count("c", 14, 5, { owner: "u2" })];
  const s = summary(all, "u1");
  assert.equal(s.waiting, 2);
  assert.equal(s.refused, 0);
  assert.equal(s.countsWaiting, 1);
  assert.equal(s.countsRefused, 1);
  assert.equal(s.others, 1);
});
