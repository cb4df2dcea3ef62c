import { test } from "node:test";
import assert from "node:assert/strict";
import { paperTap, quickTap } from "../../static/js/desk/taps.js";
import { idsOf, pending, questionsIn } from "../../static/js/desk/queue.js";

const counter = () => {
  let n = 0;
  return () => `id${++n}`;
};
const paper = (extra) => paperTap({
  newId: counter(), owner: "u1", branch: "a1", day: "2026-12-04", at: "", times: 1,
  code: "toeslagen", topic: "Toeslagen", loggedAt: 7, ...extra,
});

test("a paper tap × N is N questions of their own at the typed time, one entry", () => {
  const entry = paper({ at: "14:30", times: 3 });
  assert.equal(entry.kind, "save");
  assert.equal(entry.times, 3);
  assert.equal(entry.label, "Toeslagen × 3");
  assert.equal(entry.topicLabel, "Toeslagen");
  assert.equal(questionsIn(entry), 3);
  const ids = idsOf(entry);
  assert.equal(new Set([...ids, entry.id]).size, 4);  // every question and the tap apart
  for (const body of pending(entry)) {
    // 14:30 in Amsterdam on 4 December (winter time) is 13:30 UTC
    assert.equal(body.asked_at, "2026-12-04T13:30:00.000Z");
    assert.deepEqual(body.topics, ["toeslagen"]);
    assert.equal(body.branch, "a1");
  }
  assert.equal(entry.deviceTime, false);  // the volunteer's typed moment, not the clock's
});

test("a paper tap without a time is the day alone; one without × is one, unlabelled", () => {
  const entry = paper({});
  assert.equal(entry.label, "Toeslagen");
  assert.deepEqual(pending(entry).map((body) => body.asked_at), ["2026-12-04"]);
});

test("a paper tap at a time that cannot be read here is left to the server", () => {
  for (const at of ["25:00", "half drie", "14:3"]) {
    assert.equal(paper({ at, times: 2 }), null, at);
  }
});

test("a quick tap is one question now by the desk's clock, under the tap's own id", () => {
  const entry = quickTap({
    id: "q1", owner: "u1", branch: "a1", now: "2026-12-04T09:15:00.000Z", code: "digid",
    topic: "DigiD", loggedAt: 3,
  });
  assert.deepEqual(idsOf(entry), ["q1"]);
  assert.equal(entry.id, "q1");
  assert.equal(entry.deviceTime, true);
  assert.equal(entry.label, "DigiD");
  assert.deepEqual(pending(entry), [
    { id: "q1", branch: "a1", asked_at: "2026-12-04T09:15:00.000Z", topics: ["digid"] },
  ]);
});
