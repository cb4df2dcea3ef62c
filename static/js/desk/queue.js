/* The queue of what this device saved and the server does not have yet, kept in IndexedDB,
   and the rules of its entries (no DOM here).

   An entry is one tap: "save" holds the questions it logs (`bodies`, one, or N for a "x N" on
   the paper page, each with an id of its own) and `done`, the ids the server has stored;
   "delete" holds the ids an undo takes back (`questions`) and `done`. An entry leaves the
   queue when all of it is done; an undo of a tap takes back all of it, sent or not.
   "attendance" holds how many people came to a session (`session`, `count`), sent as one PUT
   under the entry's id; a later count for the same session replaces it. Each entry belongs to
   the person (or desk tablet) who saved it (`owner`): only they send it. */

const STORE = "queue";

/* A random id (UUID 4) made on the device: the server stores each id once. */
export function newId(random = globalThis.crypto) {
  if (random.randomUUID) return random.randomUUID();
  const b = random.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/* An entry as this version keeps it; entries kept by the desk script before it was split
   into modules (one `body`, one `question`) are read as a tap of one. */
export function normalize(entry) {
  const kept = { ...entry, done: entry.done || [] };
  if (kept.kind === "delete") {
    kept.questions = kept.questions || [kept.question];
    delete kept.question;
  } else if (kept.kind !== "attendance") {
    kept.kind = "save";
    kept.bodies = kept.bodies || [kept.body];
    delete kept.body;
  }
  return kept;
}

/* A new save: the questions of one tap, waiting to be sent. */
export function saveEntry({ id, owner, branch, bodies, label, referrals = "", times = 1, deviceTime = false, loggedAt }) {
  return {
    id, kind: "save", owner, branch, bodies, done: [], label, referrals, times,
    deviceTime, state: "waiting", loggedAt,
  };
}

/* The undo of a tap, queued like a save: the DELETEs of the questions the server may have. */
export function deleteEntry({ tap, questions, owner, branch, label, loggedAt }) {
  return {
    id: `undo:${tap}`, kind: "delete", owner, branch, questions, done: [], label,
    state: "waiting", loggedAt,
  };
}

/* How many people came to a session, counted at the desk: one PUT, which sets the number (a
   resend after a lost answer changes nothing). */
export function attendanceEntry({ id, owner, branch, session, count, label, name, loggedAt }) {
  return {
    id, kind: "attendance", owner, branch, session, count, done: [], label, name,
    state: "waiting", loggedAt,
  };
}

/* The ids of the entries a new count replaces: earlier counts of the same session, whoever
   made them (sent after it, one would overwrite it). One on its way now may still arrive,
   before the new one, which is sent after it. */
export function replacedBy(all, entry) {
  return all
    .filter((e) => e.kind === "attendance" && e.session === entry.session && e.id !== entry.id)
    .map((e) => e.id);
}

/* What is still to be sent of an entry: bodies (a save), ids (a delete) or the count. */
export function pending(entry) {
  if (entry.kind === "attendance") {
    return entry.done.includes(entry.id) ? [] : [{ id: entry.id, count: entry.count }];
  }
  return entry.kind === "delete"
    ? entry.questions.filter((id) => !entry.done.includes(id))
    : entry.bodies.filter((body) => !entry.done.includes(body.id));
}

/* The ids a tap stores. */
export function idsOf(entry) {
  if (entry.kind === "attendance") return [entry.id];
  return entry.kind === "delete" ? entry.questions : entry.bodies.map((body) => body.id);
}

/* How to undo a tap of `ids`: its save entry (null once all of it arrived) leaves the queue,
   and the questions the server may have are deleted there: those that arrived, those on their
   way now (one id, or a batch's list), and those sent whose answer never came (the connection
   dropped after the request went out, or a proxy answered 5xx: the server may have stored
   them; a DELETE of one it does not have is answered 404, which is as good). */
export function undoPlan(entry, ids, onTheWay) {
  if (!entry) return { drop: false, remove: ids };
  const away = Array.isArray(onTheWay) ? onTheWay : [onTheWay];
  const maybe = entry.maybe || [];
  const held = (id) => entry.done.includes(id) || away.includes(id) || maybe.includes(id);
  return { drop: true, remove: ids.filter(held) };
}

/* The entry's questions that may have arrived unanswered, with these `sent` ids of it added. */
export function unanswered(entry, sent) {
  const own = new Set(idsOf(entry));
  return [...new Set([...(entry.maybe || []), ...sent.filter((id) => own.has(id))])];
}

/* How many questions an entry stands for in the counts: those of a save not stored yet (a
   "x 5" tap is five), one for an undo, none for a session's count (counted apart). */
export function questionsIn(entry) {
  if (entry.kind === "attendance") return 0;
  return entry.kind === "delete" ? 1 : pending(entry).length;
}

/* What the queue holds, counted in questions and, apart, in sessions' counts: this owner's
   per state, and everyone else's (a count as one). A refused entry is never sent, so it is
   not "waiting"; one waiting for a log-in is. */
export function summary(all, owner) {
  const mine = all.filter((e) => e.owner === owner);
  const count = (entries) => entries.reduce((n, e) => n + questionsIn(e), 0);
  const counts = (entries) => entries.filter((e) => e.kind === "attendance").length;
  const refusedOnes = mine.filter((e) => e.state === "refused");
  const refused = count(refusedOnes);
  const countsRefused = counts(refusedOnes);
  const others = all.filter((e) => e.owner !== owner);
  return {
    mine, others: count(others) + counts(others), refused, waiting: count(mine) - refused,
    countsRefused, countsWaiting: counts(mine) - countsRefused,
    login: mine.some((e) => e.state === "login"),
  };
}

/* The queue in the browser's IndexedDB (database "ido-desk", store "queue"). */
export function idbStore(indexedDB, name = "ido-desk") {
  let opened = null;
  const database = () => {
    opened = opened || new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opened;
  };
  const transaction = (mode, work) => database().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    work(tx.objectStore(STORE), (value) => { result = value; });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
  }));
  return {
    all: () => transaction("readonly", (store, done) => {
      const request = store.getAll();
      request.onsuccess = () => done((request.result || []).map(normalize).sort((a, b) => a.loggedAt - b.loggedAt));
    }),
    get: (id) => transaction("readonly", (store, done) => {
      const request = store.get(id);
      request.onsuccess = () => done(request.result ? normalize(request.result) : null);
    }),
    put: (entry) => transaction("readwrite", (store) => { store.put(entry); }),
    drop: (id) => transaction("readwrite", (store) => { store.delete(id); }),
    /* change an entry in one transaction: `change` gets it and returns it changed; nothing
       happens (and null is returned) when it is gone, so an undone entry never comes back */
    update: (id, change) => transaction("readwrite", (store, done) => {
      const request = store.get(id);
      request.onsuccess = () => {
        if (!request.result) return done(null);
        const changed = change(normalize(request.result));
        store.put(changed);
        done(changed);
      };
    }),
  };
}
