import { test } from "node:test";
import assert from "node:assert/strict";
import { attendanceEntry, deleteEntry, replacedBy, saveEntry, undoPlan } from "../../static/js/desk/queue.js";
import { classify, http, reasons, request, sender } from "../../static/js/desk/send.js";
import { answer, fakeApi, memoryStore, stoppedClock } from "./support.js";

const tap = (n, id = "tap") => saveEntry({
  id, owner: "u1", branch: "a1", label: `Toeslagen × ${n}`, times: n, loggedAt: 1,
  bodies: Array.from({ length: n }, (_, i) => ({ id: `${id}-${i}`, asked_at: "2026-12-04", topics: ["toeslagen"] })),
});
const stored = (item) => answer(201, { id: item.id, asked_at: item.asked_at, branch: "a1" });

function recorder() {
  const seen = { arrived: [], finished: [], counted: [], refused: [], quietly: 0 };
  return {
    seen,
    events: {
      arrived: (entry, s) => seen.arrived.push(s.id),
      finished: (entry) => seen.finished.push(entry.id),
      counted: (entry) => seen.counted.push([entry.session, entry.count]),
      refused: (entry, found) => seen.refused.push([entry.id, found]),
      changed() {},
      sentQuietly: (n) => { seen.quietly += n; },
    },
  };
}

test("what an answer means", () => {
  const r = (status, type = "basic") => ({ status, type });
  const csrf = { errors: { _: [{ code: "csrf" }] } };
  const future = { errors: { asked_at: [{ code: "future" }] } };
  assert.equal(classify("save", r(201), null), "done");
  assert.equal(classify("save", r(200), null), "done");  // it had it already
  assert.equal(classify("delete", r(204), null), "done");
  assert.equal(classify("delete", r(404), null), "done");  // never arrived, or gone already
  assert.equal(classify("save", r(404), null), "refused");
  assert.equal(classify("save", r(401), null), "login");
  assert.equal(classify("save", r(0, "opaqueredirect"), null), "login");
  assert.equal(classify("save", r(400), csrf), "csrf");
  assert.equal(classify("save", r(400), csrf, { retried: true }), "wait");
  assert.equal(classify("save", r(503), null), "wait");
  assert.equal(classify("save", r(429), null), "wait");
  assert.equal(classify("save", r(422), future, { deviceTime: true }), "shift");
  assert.equal(classify("save", r(422), future, { deviceTime: true, shifted: true }), "refused");
  assert.equal(classify("save", r(422), future), "refused");  // a typed moment: the person's
  assert.equal(reasons({ errors: { note: [{ message: "A." }], topics: [{ message: "B." }] } }, "x"), "A. B.");
  assert.equal(reasons(null, "Geweigerd"), "Geweigerd");
});

test("a batch of five arrives question by question and leaves the queue once all are in", async () => {
  const store = memoryStore([tap(5)]);
  const api = fakeApi((entry, item) => stored(item));
  const { seen, events } = recorder();
  await sender({ store, api, clock: stoppedClock, owner: "u1", events }).sendAll();
  assert.equal(api.sent.length, 5);
  assert.equal(seen.arrived.length, 5);
  assert.deepEqual(seen.finished, ["tap"]);
  assert.equal(seen.quietly, 5);  // not saved on this page: "5 waiting questions were sent"
  assert.deepEqual(await store.all(), []);
});

test("undo of a batch of five that arrived sends five DELETEs from one queued undo", async () => {
  const store = memoryStore([tap(5)]);
  const api = fakeApi((entry, item) => (entry.kind === "delete" ? answer(204) : stored(item)));
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  const ids = tap(5).bodies.map((b) => b.id);
  const plan = undoPlan(await store.get("tap"), ids, queue.state.onTheWay);
  assert.deepEqual(plan, { drop: false, remove: ids });
  await store.put(deleteEntry({ tap: "tap", questions: plan.remove, owner: "u1", branch: "a1", label: "x", loggedAt: 2 }));
  assert.equal((await store.all()).length, 1);  // one entry to undo, not five
  await queue.sendAll();
  assert.deepEqual(api.sent.slice(5), ids.map((id) => `DELETE ${id}`));
  assert.deepEqual(await store.all(), []);
});

test("undo while a batch is on its way: nothing more is sent, what arrived is deleted", async () => {
  const store = memoryStore([tap(5)]);
  let undone = false, queue;
  const api = fakeApi(async (entry, item) => {
    if (entry.kind === "delete") return answer(204);
    if (item.id === "tap-2" && !undone) {  // the volunteer taps undo while the third is on its way
      undone = true;
      const plan = undoPlan(await store.get("tap"), tap(5).bodies.map((b) => b.id), queue.state.onTheWay);
      assert.deepEqual(plan, { drop: true, remove: ["tap-0", "tap-1", "tap-2"] });
      await store.drop("tap");
      await store.put(deleteEntry({ tap: "tap", questions: plan.remove, owner: "u1", branch: "a1", label: "x", loggedAt: 2 }));
    }
    return stored(item);
  });
  const { seen, events } = recorder();
  queue = sender({ store, api, clock: stoppedClock, owner: "u1", events });
  await queue.sendAll();
  assert.deepEqual(api.sent, ["POST tap-0", "POST tap-1", "POST tap-2", "DELETE tap-0", "DELETE tap-1", "DELETE tap-2"]);
  assert.deepEqual(seen.arrived, ["tap-0", "tap-1"]);  // the third arrived after its undo: no row
  assert.deepEqual(seen.finished, []);
  assert.deepEqual(await store.all(), []);
});

test("without a connection the entry waits, keeps what arrived, and is sent on later", async () => {
  const store = memoryStore([tap(3)]);
  let online = true;
  const api = fakeApi(async (entry, item) => {
    if (!online) throw new TypeError("Failed to fetch");
    if (item.id === "tap-0") online = false;
    return stored(item);
  });
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  const waiting = await store.get("tap");
  assert.deepEqual(waiting.done, ["tap-0"]);
  assert.equal(waiting.state, "waiting");
  assert.equal(waiting.delayed, true);
  online = true;
  await queue.sendAll();
  assert.deepEqual(api.sent, ["POST tap-0", "POST tap-1", "POST tap-1", "POST tap-2"]);
  assert.deepEqual(await store.all(), []);
});

test("an answer lost after the request went out: undo deletes what may have arrived", async () => {
  const store = memoryStore([tap(3)]);
  const server = new Set();  // what the server stored
  const api = fakeApi(async (entry, item) => {
    if (entry.kind === "delete") return answer(server.delete(item) ? 204 : 404);
    server.add(item.id);
    if (item.id === "tap-1") throw new TypeError("network error");  // stored, the answer lost
    return stored(item);
  });
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  const kept = await store.get("tap");
  assert.deepEqual([kept.done, kept.maybe], [["tap-0"], ["tap-1"]]);
  const plan = undoPlan(kept, tap(3).bodies.map((b) => b.id), queue.state.onTheWay);
  assert.deepEqual(plan, { drop: true, remove: ["tap-0", "tap-1"] });
  await store.drop("tap");
  await store.put(deleteEntry({ tap: "tap", questions: plan.remove, owner: "u1", branch: "a1", label: "x", loggedAt: 2 }));
  await queue.sendAll();
  assert.deepEqual(server, new Set());  // nothing of the undone tap stays on the server
  assert.deepEqual(await store.all(), []);
});

test("offline the browser sends nothing: an undo of what waits deletes nothing", async () => {
  const store = memoryStore([tap(2)]);
  const api = fakeApi(async () => { throw new TypeError("Failed to fetch"); });
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events, online: () => false });
  await queue.sendAll();
  const kept = await store.get("tap");
  assert.deepEqual([kept.state, kept.maybe], ["waiting", []]);
  assert.deepEqual(undoPlan(kept, ["tap-0", "tap-1"], null), { drop: true, remove: [] });
});

test("a proxy's 502 after the request went out: the question may be stored, undo deletes it", async () => {
  const store = memoryStore([tap(1)]);
  const api = fakeApi(async (entry) => (entry.kind === "delete" ? answer(404) : answer(502)));
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  const kept = await store.get("tap");
  assert.deepEqual([kept.state, kept.maybe], ["waiting", ["tap-0"]]);
  assert.deepEqual(undoPlan(kept, ["tap-0"], null), { drop: true, remove: ["tap-0"] });
});

test("a refusal stays with its reason and is not sent again by itself", async () => {
  const store = memoryStore([tap(1)]);
  const refusal = { errors: { note: [{ code: "phone", message: "Een telefoonnummer." }] } };
  const api = fakeApi(() => answer(422, refusal));
  const { seen, events } = recorder();
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events });
  await queue.sendAll();
  await queue.sendAll();
  assert.equal(api.sent.length, 1);
  assert.deepEqual(seen.refused, [["tap", refusal]]);
  const refused = await store.get("tap");
  assert.equal(refused.state, "refused");
  assert.equal(refused.reason, "Een telefoonnummer.");
});

test("an ended session stops the queue and asks to log in; another's entries are not sent", async () => {
  const store = memoryStore([tap(1, "a"), tap(1, "b"), { ...tap(1, "c"), owner: "u2" }]);
  const api = fakeApi(() => answer(401, {}));
  await sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events }).sendAll();
  assert.deepEqual(api.sent, ["POST a-0"]);
  assert.equal((await store.get("a")).state, "login");
});

test("a stale CSRF token is refreshed once and the question sent again", async () => {
  const store = memoryStore([tap(1)]);
  let first = true;
  const api = fakeApi((entry, item) => {
    if (first) { first = false; return answer(400, { errors: { _: [{ code: "csrf" }] } }); }
    return stored(item);
  });
  await sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events }).sendAll();
  assert.equal(api.tokens, 1);
  assert.deepEqual(await store.all(), []);
});

test("a device clock that runs ahead: the moment moves back by the server's difference", async () => {
  const entry = { ...tap(1), deviceTime: true };
  entry.bodies[0].asked_at = "2026-12-07T10:10:00.000Z";
  const store = memoryStore([entry]);
  const clock = { ...stoppedClock, skew: () => -600_000 };  // learnt from the refusal's answer
  const bodies = [];
  const api = fakeApi((e, item) => {
    bodies.push(item.asked_at);
    return bodies.length === 1 ? answer(422, { errors: { asked_at: [{ code: "future" }] } }) : stored(item);
  });
  await sender({ store, api, clock, owner: "u1", events: recorder().events }).sendAll();
  assert.deepEqual(bodies, ["2026-12-07T10:10:00.000Z", "2026-12-07T10:00:00.000Z"]);
  assert.deepEqual(await store.all(), []);
});

const counting = (id, session, n, loggedAt = 3) => attendanceEntry({
  id, owner: "u1", branch: "a1", session, count: n, label: "Digicafé, ma 7 dec.", name: "Digicafé", loggedAt,
});
const session = (n) => answer(200, { id: 12, attendance: n });

test("a session's count is a PUT of the number to the session's attendance", async () => {
  const urls = { api: "/api/v1/questions", sessions: "/api/v1/sessions" };
  assert.deepEqual(request(counting("c", 12, 7), { id: "c", count: 7 }, urls),
    { method: "PUT", url: "/api/v1/sessions/12/attendance", body: '{"count":7}' });
  const calls = [];
  const api = http({
    ...urls, csrfUrl: "/desk/csrf", csrf: "t1",
    fetch: async (url, options) => { calls.push([url, options.method, options.headers["X-CSRFToken"], options.body]); return session(7); },
  });
  await api.send(counting("c", 12, 7), { id: "c", count: 7 });
  assert.deepEqual(calls, [["/api/v1/sessions/12/attendance", "PUT", "t1", '{"count":7}']]);
  assert.equal(classify("attendance", { status: 200, type: "basic" }, null), "done");
  assert.equal(classify("attendance", { status: 404, type: "basic" }, null), "refused");  // not this branch's
});

test("a count waits without a connection, goes with the questions in the order logged, and arrives once", async () => {
  const store = memoryStore([{ ...tap(1), loggedAt: 1 }, counting("c", 12, 7, 2)]);
  let online = false;
  const api = fakeApi((entry, item) => {
    if (!online) throw new TypeError("Failed to fetch");
    return entry.kind === "attendance" ? session(item.count) : stored(item);
  });
  const { seen, events } = recorder();
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events });
  await queue.sendAll();
  assert.equal((await store.get("c")).state, "waiting");
  online = true;
  await queue.sendAll();
  await queue.sendAll();
  assert.deepEqual(api.sent, ["POST tap-0", "POST tap-0", "PUT 12 7"]);
  assert.deepEqual(seen.counted, [[12, 7]]);
  assert.deepEqual(seen.arrived, ["tap-0"]);  // a count adds no row to today's questions
  assert.deepEqual(await store.all(), []);
});

test("a lost answer: the count is sent again, harmless since it sets the number", async () => {
  const store = memoryStore([counting("c", 12, 7)]);
  let lost = true;
  const api = fakeApi(() => {
    if (lost) { lost = false; throw new TypeError("Failed to fetch"); }  // stored, the answer lost
    return session(7);
  });
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  await queue.sendAll();
  assert.deepEqual(api.sent, ["PUT 12 7", "PUT 12 7"]);
  assert.deepEqual(await store.all(), []);
});

test("a later count replaces a waiting one; one on its way arrives first, the later after it", async () => {
  const store = memoryStore([counting("a", 12, 7)]);
  for (const id of replacedBy(await store.all(), counting("b", 12, 8))) await store.drop(id);
  await store.put(counting("b", 12, 8, 4));
  let api = fakeApi(() => session(8));
  const queue = () => sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue().sendAll();
  assert.deepEqual(api.sent, ["PUT 12 8"]);  // the 7 never went
  await store.put(counting("c", 12, 3));
  api = fakeApi(async (entry, item) => {
    if (entry.id === "c") {  // 5 tapped while the 3 is on its way
      for (const id of replacedBy(await store.all(), counting("d", 12, 5))) await store.drop(id);
      await store.put(counting("d", 12, 5, 5));
    }
    return session(item.count);
  });
  await queue().sendAll();
  assert.deepEqual(api.sent, ["PUT 12 3", "PUT 12 5"]);
  assert.deepEqual(await store.all(), []);
});

test("a refused count stays with its reason, is not sent again, and a stale token is refreshed", async () => {
  const refusal = { errors: { count: [{ code: "cancelled", message: "Deze bijeenkomst is geannuleerd." }] } };
  const store = memoryStore([counting("c", 12, 7), counting("d", 99, 2, 4)]);
  let first = true;
  const api = fakeApi((entry) => {
    if (first) { first = false; return answer(400, { errors: { _: [{ code: "csrf" }] } }); }
    if (entry.session === 99) return answer(404, { errors: { id: [{ code: "not_found", message: "Zo'n bijeenkomst is er niet." }] } });
    return answer(422, refusal);
  });
  const { seen, events } = recorder();
  const queue = sender({ store, api, clock: stoppedClock, owner: "u1", events });
  await queue.sendAll();
  await queue.sendAll();
  assert.equal(api.tokens, 1);
  assert.deepEqual(api.sent, ["PUT 12 7", "PUT 12 7", "PUT 99 2"]);
  assert.deepEqual(seen.refused.map(([id]) => id), ["c", "d"]);
  assert.equal((await store.get("c")).reason, "Deze bijeenkomst is geannuleerd.");
  assert.equal((await store.get("d")).state, "refused");
  assert.deepEqual(seen.counted, []);
});

test("an ended session stops a count too, and asks to log in", async () => {
  const store = memoryStore([counting("c", 12, 7)]);
  const api = fakeApi(() => answer(401, {}));
  await sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events }).sendAll();
  assert.equal((await store.get("c")).state, "login");
});

/* An undo tapped after the answer came but before what it means is written down (its body
   read, a stale token refreshed): the question is still "on its way", so the undo deletes it. */
for (const status of [201, 502]) {
  test(`an undo while a ${status} answer is read deletes what may have arrived`, async () => {
    const store = memoryStore([tap(1)]);
    let plan, queue;
    const api = fakeApi(() => ({
      ...answer(status),
      json: async () => {
        plan = undoPlan(await store.get("tap"), ["tap-0"], queue.state.onTheWay);
        return status === 201 ? { id: "tap-0" } : {};
      },
    }));
    queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
    await queue.sendAll();
    assert.deepEqual(plan.remove, ["tap-0"]);
  });
}

test("an undo while a stale token is refreshed: the question is not sent again", async () => {
  const store = memoryStore([tap(1)]);
  let plan, queue;
  const api = fakeApi(() => answer(400, { errors: { _: [{ code: "csrf" }] } }));
  api.refreshToken = async () => {  // the volunteer taps undo while the token is fetched
    plan = undoPlan(await store.get("tap"), ["tap-0"], queue.state.onTheWay);
    await store.drop("tap");
  };
  queue = sender({ store, api, clock: stoppedClock, owner: "u1", events: recorder().events });
  await queue.sendAll();
  assert.deepEqual(api.sent, ["POST tap-0"]);  // once: the undone tap goes no further
  assert.deepEqual(plan.remove, ["tap-0"]);  // and what that one POST may have stored goes
});
