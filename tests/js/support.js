/* What the unit tests of the desk's modules share: the date cases (one file with the Python
   tests), a queue kept in memory with the IndexedDB store's behaviour, and a fake API. */

import { readFileSync } from "node:fs";
import { normalize } from "../../static/js/desk/queue.js";

export const cases = JSON.parse(readFileSync(new URL("../data/desk_dates.json", import.meta.url), "utf8"));

/* The queue as idbStore keeps it (copies in and out, sorted by loggedAt), in memory. */
export function memoryStore(entries = []) {
  const kept = new Map(entries.map((e) => [e.id, structuredClone(e)]));
  const copy = (e) => (e ? normalize(structuredClone(e)) : null);
  return {
    kept,
    all: async () => [...kept.values()].map(copy).sort((a, b) => a.loggedAt - b.loggedAt),
    get: async (id) => copy(kept.get(id)),
    put: async (e) => { kept.set(e.id, structuredClone(e)); },
    drop: async (id) => { kept.delete(id); },
    update: async (id, change) => {
      if (!kept.has(id)) return null;
      const changed = change(copy(kept.get(id)));
      kept.set(id, structuredClone(changed));
      return copy(changed);
    },
  };
}

/* A JSON answer as fetch gives one. */
export function answer(status, body = null, date = null) {
  return {
    status, type: "basic",
    headers: { get: (name) => (name === "Date" ? date : null) },
    json: async () => { if (body === null) throw new SyntaxError("no body"); return body; },
  };
}

/* The API: `reply(entry, item)` answers each request; `sent` lists what was sent. With
   `batch(bodies)` it takes batches too (listed as "BATCH id,id,..."). */
export function fakeApi(reply, { batch = null } = {}) {
  const sent = [];
  return {
    sent,
    tokens: 0,
    async send(entry, item) {
      if (entry.kind === "attendance") sent.push(`PUT ${entry.session} ${item.count}`);
      else sent.push(entry.kind === "delete" ? `DELETE ${item}` : `POST ${item.id}`);
      return reply(entry, item);
    },
    ...(batch ? {
      async sendBatch(bodies) {
        sent.push(`BATCH ${bodies.map((b) => b.id).join(",")}`);
        return batch(bodies);
      },
    } : {}),
    async refreshToken() { this.tokens++; },
  };
}

export const stoppedClock = { learn() {}, skew: () => 0, now: () => new Date("2026-12-07T10:00:00Z") };
