/* The queue's batches: two or more waiting questions go in one request; what the server did
   not take, or a batch not answered as one, goes the proven way, question by question. */

import { test } from "node:test";
import assert from "node:assert/strict";
import { attendanceEntry, deleteEntry, saveEntry, undoPlan } from "../../static/js/desk/queue.js";
import { BATCH_MAX, http, sender } from "../../static/js/desk/send.js";
import { answer, fakeApi, memoryStore, stoppedClock } from "./support.js";

const tap = (n, id = "tap", loggedAt = 1) => saveEntry({
  id, owner: "u1", branch: "a1", label: `Toeslagen × ${n}`, times: n, loggedAt,
  bodies: Array.from({ length: n }, (_, i) => ({ id: `${id}-${i}`, asked_at: "2026-12-04", topics: ["toeslagen"] })),
});
const question = (body) => ({ id: body.id, asked_at: body.asked_at, branch: "a1" });
const allStored = (bodies) => answer(200, { results: bodies.map((b) => ({ id: b.id, status: 201, question: question(b) })) });
const single = (entry, item) => {
  if (entry.kind === "save") return answer(201, question(item));
  return entry.kind === "delete" ? answer(204) : answer(200, { count: item.count });
};

function recorder() {
  const seen = { arrived: [], finished: [], refused: [], counted: [], quietly: 0 };
  return {
    seen,
    events: {
      arrived: (entry, s) => seen.arrived.push(s.id),
      finished: (entry) => seen.finished.push(entry.id),
      counted: (entry) => seen.counted.push(entry.session),
      refused: (entry, found) => seen.refused.push([entry.id, found]),
      changed() {},
      sentQuietly: (n) => { seen.quietly += n; },
    },
  };
}

test("a tap of five goes in one request and leaves the queue once all arrived", async () => {
  const store = memoryStore([tap(5)]);
  const api = fakeApi(single, { batch: allStored });
  const { seen, events } = recorder();
  await sender({ store, api, clock: stoppedClock, owner: "u1", events }).sendAll();
  assert.deepEqual(api.sent, ["BATCH tap-0,tap-1,tap-2,tap-3,tap-4"]);
  assert.deepEqual(seen.arrived, ["tap-0", "tap-1", "tap-2", "tap-3", "tap-4"]);
  assert.deepEqual(seen.finished, ["tap"]);
  assert.equal(seen.quietly, 5);
  assert.deepEqual(await store.all(), []);
});

test("after an outage the waiting saves go together; an undo and a count go on their own", async () => {
  const undo = deleteEntry({ tap: "old", questions: ["old-0"], owner: "u1", branch: "a1", label: "x", loggedAt: 2 });
  const count = attendanceEntry({ id: "att", owner: "u1", branch: "a1", session: 7, count: 4, label: "x", name: "y", loggedAt: 3 });
  const store = memoryStore([tap(1, "a", 1), undo, count, tap(2, "b", 4), { ...tap(1, "c", 5), owner: "u2" }]);
  const api = fakeApi(single, { batch: allStored });
  const { seen, events } = recorder();
  await sender({ store, api, clock: stoppedClock, owner: "u1", events }).sendAll();
  assert.deepEqual(api.sent, ["BATCH a-0,b-0,b-1", "DELETE old-0", "PUT 7 4"]);  // not u2's
  assert.deepEqual(seen.finished, ["a", "b"]);
  assert.deepEqual(seen.counted, [7]);
  assert.deepEqual((await store.all()).map((e) => e.id), ["c"]);
});

test("a question the batch refused is sent again on its own and shows why", async () => {
  const store = memoryStore([tap(3)]);
  const refusal = { errors: { note: [{ code: "personal_data", message: "Een naam." }] } };
  const api = fakeApi((entry, item) => answer(422, refusal), {
    batch: (bodies) => answer(200, {
      results: bodies.map((b) => (b.id === "tap-1"
        ? { id: b.id, status: 422, ...refusal }
        : { id: b.id, status: 201, question: question(b) })),
    }),
  });
  const { seen, events } = recorder();
  await sender({ store, api, clock: stoppedClock, owner: "u1", events }).sendAll();
  assert.deepEqual(api.sent, ["BATCH tap-0,tap-1,tap-2", "POST tap-1"]);
  assert.deepEqual(seen.arrived, ["tap-0", "tap-2"]);
  assert.deepEqual(seen.refused, [["tap", refusal]]);
  const left = await store.get("tap");
  assert.deepEqual([left.state, left.done], ["refused", ["tap-0", "tap-2"]]);
});

test("a batch not answered as one goes question by question, which meets the answer", async () => {
  for (const [status, body, state] of [[401, {}, "login"], [503, null, "waiting"], [404, null, "refused"]]) {
    const store = memoryStore([tap(2)]);
    const api = fakeApi(() => answer(status, body), { batch: () => answer(status, body) });
    await sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events }).sendAll();
    assert.deepEqual(api.sent, ["BATCH tap-0,tap-1", "POST tap-0"], `status ${status}`);
    assert.equal((await store.get("tap")).state, state);
  }
  // a server of before the batches (404 for the address) takes them one by one
  const store = memoryStore([tap(2)]);
  const api = fakeApi(single, { batch: () => answer(404, null) });
  await sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events }).sendAll();
  assert.deepEqual(api.sent, ["BATCH tap-0,tap-1", "POST tap-0", "POST tap-1"]);
  assert.deepEqual(await store.all(), []);
});

test("without a connection the batch waits and is sent whole later", async () => {
  const store = memoryStore([tap(1, "a"), tap(1, "b", 2)]);
  let online = false;
  const api = fakeApi(single, {
    batch: async (bodies) => { if (!online) throw new TypeError("Failed to fetch"); return allStored(bodies); },
  });
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  assert.deepEqual((await store.all()).map((e) => [e.state, e.delayed]), [["waiting", true], ["waiting", true]]);
  online = true;
  await queue.sendAll();
  assert.deepEqual(api.sent, ["BATCH a-0,b-0", "BATCH a-0,b-0"]);
  assert.deepEqual(await store.all(), []);
});

test("undo while a batch is on its way deletes all it carried; none is shown as arrived", async () => {
  const store = memoryStore([tap(3)]);
  let queue;
  const api = fakeApi(single, {
    batch: async (bodies) => {
      const plan = undoPlan(await store.get("tap"), bodies.map((b) => b.id), queue.state.onTheWay);
      assert.deepEqual(plan, { drop: true, remove: ["tap-0", "tap-1", "tap-2"] });
      await store.drop("tap");
      await store.put(deleteEntry({ tap: "tap", questions: plan.remove, owner: "u1", branch: "a1", label: "x", loggedAt: 2 }));
      return allStored(bodies);
    },
  });
  const { seen, events } = recorder();
  queue = sender({ store, api, clock: stoppedClock, owner: "u1", events });
  await queue.sendAll();
  assert.deepEqual(api.sent, ["BATCH tap-0,tap-1,tap-2", "DELETE tap-0", "DELETE tap-1", "DELETE tap-2"]);
  assert.deepEqual(seen.arrived, []);
  assert.deepEqual(await store.all(), []);
});

test("more than a batch holds goes in several", async () => {
  const store = memoryStore([tap(BATCH_MAX + 20)]);
  const api = fakeApi(single, { batch: allStored });
  await sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events }).sendAll();
  assert.deepEqual(api.sent.map((s) => s.split(",").length), [BATCH_MAX, 20]);
  assert.deepEqual(await store.all(), []);
});

test("the batch request carries the questions, the session's cookie and the CSRF header", async () => {
  const calls = [];
  const api = http({
    fetch: async (url, options) => { calls.push([url, options]); return answer(200, { results: [] }); },
    api: "/api/v1/questions", batch: "/api/v1/batch/questions", csrf: "tok",
  });
  await api.sendBatch([{ id: "q1" }, { id: "q2" }]);
  const [url, options] = calls[0];
  assert.equal(url, "/api/v1/batch/questions");
  assert.equal(options.method, "POST");
  assert.equal(options.credentials, "same-origin");
  assert.equal(options.headers["X-CSRFToken"], "tok");
  assert.deepEqual(JSON.parse(options.body), { questions: [{ id: "q1" }, { id: "q2" }] });
  assert.equal(http({ fetch: async () => null, api: "/x" }).sendBatch, undefined);  // no address, no batches
});

test("a batch whose answer is lost: each of its questions may be stored, undo deletes them", async () => {
  const store = memoryStore([tap(3), tap(2, "two", 2)]);
  const api = fakeApi(single, { batch: () => { throw new TypeError("network error"); } });
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  assert.deepEqual(api.sent, ["BATCH tap-0,tap-1,tap-2,two-0,two-1"]);
  const [first, second] = [await store.get("tap"), await store.get("two")];
  assert.deepEqual(first.maybe, ["tap-0", "tap-1", "tap-2"]);  // each entry its own ids only
  assert.deepEqual(second.maybe, ["two-0", "two-1"]);
  assert.deepEqual(undoPlan(second, ["two-0", "two-1"], null), { drop: true, remove: ["two-0", "two-1"] });
});

test("an undo while a batch's answer is read deletes its questions", async () => {
  const store = memoryStore([tap(3)]);
  let plan, queue;
  const api = fakeApi(single, {
    batch: (bodies) => ({
      ...answer(200),
      json: async () => {
        plan = undoPlan(await store.get("tap"), ["tap-0", "tap-1", "tap-2"], queue.state.onTheWay);
        return { results: bodies.map((b) => ({ id: b.id, status: 201, question: question(b) })) };
      },
    }),
  });
  queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  assert.deepEqual(plan.remove, ["tap-0", "tap-1", "tap-2"]);
});
