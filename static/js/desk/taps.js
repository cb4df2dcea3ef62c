/* The queue entries of paper and quick mode's taps (pure; tests/js/taps.test.js). */

import { amsterdam } from "./clock.js";
import { saveEntry } from "./queue.js";

/* Paper mode: a topic × N at a typed time or the day alone; null: a time not read here. */
export function paperTap({ newId, owner, branch, day, at, times, code, topic, loggedAt }) {
  const moment = at ? amsterdam(day, at) : day;
  if (!moment) return null;
  const bodies = Array.from({ length: times }, () => ({
    id: newId(), branch, asked_at: moment, topics: [code],
  }));
  const entry = saveEntry({
    id: newId(), owner, branch, bodies, times, loggedAt,
    label: `${topic}${times > 1 ? ` × ${times}` : ""}`,
  });
  entry.topicLabel = topic;
  return entry;
}

/* Quick mode: one question, the tap's id, now by the desk's clock. */
export function quickTap({ id, owner, branch, now, code, topic, loggedAt }) {
  return saveEntry({
    id, owner, branch, loggedAt, deviceTime: true, label: topic,
    bodies: [{ id, branch, asked_at: now, topics: [code] }],
  });
}
