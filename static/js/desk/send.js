/* Sending the queue to the JSON API: POST /api/v1/questions for a save, DELETE
   /api/v1/questions/<id> for an undo, PUT /api/v1/sessions/<id>/attendance for a session's
   count, with the session's cookie and CSRF header; two or more questions waiting (a tap of
   "x 5", the queue after an outage) go in one POST /api/v1/batch/questions. The API stores an
   id once and sets a count (it does not add), so an entry sent twice (the answer was lost, the
   page reloaded) is never counted twice. No DOM here: what the page shows is told through
   `events`. */

import { pending, unanswered } from "./queue.js";

export const BATCH_MAX = 100;  // questions in one batch (the API's limit)

/* What an answer means for the entry: "done", "login" (the session ended), "csrf" (a fresh
   token, then once more), "wait" (try again later), "shift" (the device's clock ran ahead:
   move the moment back and send again) or "refused" (the entry must be corrected). */
export function classify(kind, response, found, { retried = false, deviceTime = false, shifted = false } = {}) {
  const status = response.status;
  if (status === 200 || status === 201 || (kind === "delete" && (status === 204 || status === 404))) return "done";
  if (status === 401 || response.type === "opaqueredirect") return "login";
  const csrf = status === 400 && codeOf(found, "_") === "csrf";
  if (csrf && !retried) return "csrf";
  if (status >= 500 || status === 429 || csrf) return "wait";
  if (codeOf(found, "asked_at") === "future" && deviceTime && !shifted) return "shift";
  return "refused";
}

export function codeOf(found, field) {
  const list = found && found.errors && found.errors[field];
  return list && list[0] && list[0].code;
}

/* The messages of a refusal in one line, or `fallback`. */
export function reasons(found, fallback) {
  const errors = (found && found.errors) || {};
  return Object.values(errors).flat().map((e) => e.message).join(" ") || fallback;
}

/* The request of one item: a body (a save), an id (a delete) or a count (attendance);
   `api` is /api/v1/questions, `sessions` /api/v1/sessions. */
export function request(entry, item, { api, sessions }) {
  if (entry.kind === "delete") return { method: "DELETE", url: `${api}/${item}` };
  if (entry.kind === "attendance") {
    return { method: "PUT", url: `${sessions}/${entry.session}/attendance`, body: JSON.stringify({ count: item.count }) };
  }
  return { method: "POST", url: api, body: JSON.stringify(item) };
}

/* The API over fetch: `send(entry, item)` sends one item of an entry; `sendBatch(bodies)`
   (when the page gives the batch address) several questions at once. */
export function http({ fetch, api, batch, sessions, csrfUrl, csrf }) {
  let token = csrf;
  const call = (method, url, body) => fetch(url, {
    method,
    credentials: "same-origin",
    redirect: "manual",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
    body,
  });
  return {
    send(entry, item) {
      const { method, url, body } = request(entry, item, { api, sessions });
      return call(method, url, body);
    },
    ...(batch ? { sendBatch: (bodies) => call("POST", batch, JSON.stringify({ questions: bodies })) } : {}),
    async refreshToken() {
      const response = await fetch(csrfUrl, { credentials: "same-origin" });
      const found = response.ok ? await response.json() : null;
      if (found && found.csrf_token) token = found.csrf_token;
    },
  };
}

/* The loop that sends this owner's entries one question at a time, in the order they were
   logged. `events`: arrived(entry, stored) per stored question, finished(entry) when a save
   has all arrived, counted(entry) when a session's count has, refused(entry, found),
   changed() after each step, sentQuietly(n) for the
   questions sent that were not saved on this page now (`fresh(id)` says which were). */
export function sender({ store, api, clock, owner, events, fresh = () => false, online = () => true }) {
  let sending = false, again = false;
  const state = { onTheWay: null };  // the id (a batch: the ids) of what is on its way now

  /* Questions of this owner's saves ({entry, body}, in the order logged) in one request: what
     the server stored is marked done and told as arrived; what it did not take is left for
     the question-by-question path, which sends it again and says why. "next" once answered,
     "stop" without a connection, "single" when the batch was not answered as one (then the
     path question by question meets the same answer: a log-in, a stale token, a busy server). */
  async function sendTogether(items) {
    state.onTheWay = items.map(({ body }) => body.id);
    try {
      return await batchOnItsWay(items);
    } finally {
      state.onTheWay = null;  // only once what the answer means is written (see sendItem)
    }
  }

  async function batchOnItsWay(items) {
    const wentOut = online();  // offline, the browser sends nothing
    let response;
    try {
      response = await api.sendBatch(items.map(({ body }) => body));
    } catch {  // no connection: they wait (and are no longer saves the form can take back)
      // it may have gone out before the connection did (an undo then deletes them)
      await unansweredIn(items, wentOut);
      return "stop";
    }
    clock.learn(response.headers.get("Date"));
    const found = response.status === 200 ? await response.json().catch(() => null) : null;
    const results = found && Array.isArray(found.results) ? found.results : [];
    if (response.status >= 500) await unansweredIn(items);  // a proxy's 502 or 504, say
    if (results.length !== items.length) return "single";
    for (const [index, { entry, body }] of items.entries()) {
      const result = results[index];
      if (result.status !== 200 && result.status !== 201) continue;  // sent again on its own
      const kept = await store.update(entry.id, (e) => (
        e.done.includes(body.id) ? e : { ...e, done: [...e.done, body.id], state: "waiting" }
      ));
      if (kept) events.arrived(kept, result.question);  // none once undone on its way
    }
    return "next";
  }

  /* A batch without an answer: its entries wait; when the request went out, each entry's
     questions in it may have arrived (an undo then deletes them). */
  async function unansweredIn(items, wentOut = true) {
    const sent = wentOut ? items.map(({ body }) => body.id) : [];
    for (const id of new Set(items.map(({ entry }) => entry.id))) {
      await store.update(id, (e) => ({ ...e, state: "waiting", delayed: true, maybe: unanswered(e, sent) }));
    }
  }

  /* The saves' questions still to be sent that have not gone in a batch this round. */
  function together(entries, sent) {
    return entries
      .filter((entry) => entry.kind === "save")
      .flatMap((entry) => pending(entry).filter((body) => !sent.has(body.id)).map((body) => ({ entry, body })))
      .slice(0, BATCH_MAX);
  }

  /* `onTheWay` stays set until what the answer means is written down: an undo tapped while
     the answer is read, or the CSRF token refreshed, still deletes what may have arrived. */
  async function sendItem(entry, item, retried = false) {
    const id = entry.kind === "delete" ? item : item.id;
    state.onTheWay = id;
    try {
      return await itemOnItsWay(entry, item, id, retried);
    } finally {
      state.onTheWay = null;
    }
  }

  async function itemOnItsWay(entry, item, id, retried) {
    const wentOut = online();  // offline, the browser sends nothing
    let response;
    try {
      response = await api.send(entry, item);
    } catch {  // no connection: it waits (and is no longer a save the form can take back);
      // the request may have gone out before the connection did: an undo deletes it
      const lost = wentOut ? [id] : [];
      await store.update(entry.id, (e) => ({ ...e, state: "waiting", delayed: true, maybe: unanswered(e, lost) }));
      return "stop";
    }
    clock.learn(response.headers.get("Date"));
    const ok = response.status === 200 || response.status === 201;
    const found = response.status === 204 ? null : await response.json().catch(() => null);
    const how = classify(entry.kind, response, found, { retried, deviceTime: entry.deviceTime, shifted: entry.shifted });
    if (how === "done") {
      const kept = await store.update(entry.id, (e) => ({ ...e, done: [...e.done, id], state: "waiting" }));
      if (!kept) return "gone";  // undone while on its way: the undo deletes it
      if (ok && entry.kind === "save") events.arrived(kept, found);
      return "next";
    }
    if (how === "login" || how === "wait") {
      const lost = response.status >= 500 ? [id] : [];  // a proxy's 502 or 504: it may be stored
      await store.update(entry.id, (e) => ({
        ...e, state: how === "login" ? "login" : "waiting", delayed: true, maybe: unanswered(e, lost),
      }));
      return "stop";
    }
    if (how === "csrf") {
      await api.refreshToken();
      const still = await store.get(entry.id);  // undone meanwhile: not sent again
      return still ? sendItem(still, item, true) : "gone";
    }
    if (how === "shift") {  // the server's clock (learnt from this answer) says when "now" was
      const shifted = await store.update(entry.id, (e) => ({
        ...e, shifted: true,
        bodies: e.bodies.map((b) => ({ ...b, asked_at: new Date(Date.parse(b.asked_at) + clock.skew()).toISOString() })),
      }));
      if (!shifted) return "gone";
      return sendItem(shifted, shifted.bodies.find((b) => b.id === id), retried);
    }
    const refused = await store.update(entry.id, (e) => ({ ...e, state: "refused", reason: reasons(found, "") }));
    if (refused) events.refused(refused, found);
    return "refused";
  }

  /* One entry, question by question; read again before each (an undo may have taken it). */
  async function sendEntry(id) {
    for (;;) {
      const entry = await store.get(id);
      if (!entry) return "gone";
      const [next] = pending(entry);
      if (next === undefined) {
        await store.drop(id);
        if (entry.kind === "save") events.finished(entry);
        if (entry.kind === "attendance") events.counted(entry);
        return "sent";
      }
      const how = await sendItem(entry, next);
      events.changed();
      if (how !== "next") return how;
    }
  }

  async function sendAll() {
    if (sending) { again = true; return; }
    sending = true;
    again = false;
    let quietly = 0;
    try {
      // until nothing is left to try: an undo queued meanwhile goes in the same round
      const tried = new Set();
      const batched = new Set();  // questions sent in a batch this round: the rest one by one
      for (let stopped = false; !stopped;) {
        const next = (await store.all()).filter((e) => e.owner === owner && e.state !== "refused" && !tried.has(e.id));
        if (!next.length) break;
        const items = api.sendBatch ? together(next, batched) : [];
        if (items.length > 1) {
          items.forEach(({ body }) => batched.add(body.id));
          const how = await sendTogether(items);
          events.changed();
          if (how === "stop") break;
          if (how === "next") continue;  // the queue read again: more may go together
        }
        for (const entry of next) {
          tried.add(entry.id);
          const how = await sendEntry(entry.id);
          if (how === "sent" && entry.kind === "save" && !fresh(entry.id)) quietly += entry.bodies.length;
          if (how === "stop") { stopped = true; break; }
        }
      }
    } finally {
      sending = false;
      if (quietly) events.sentQuietly(quietly);
      events.changed();
    }
    if (again) await sendAll();
  }

  return { sendAll, state };
}
