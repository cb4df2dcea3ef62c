/* The queue entries of the desk's one-tap forms, made from what was tapped (main.js reads the
   form; these are pure, unit-tested in tests/js/taps.test.js):
   - paper mode: a topic × N at a typed time on the page's day, or at the day alone (its time
     unknown), each of the N a question of its own;
   - quick mode: one question about the topic, now by the desk's clock. */

import { amsterdam } from "./clock.js";
import { saveEntry } from "./queue.js";

/* The tap of paper mode, or null when the typed time cannot be read here (the form then
   posts, and the server explains). */
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

/* The tap of quick mode: the question's id is the tap's, its moment the desk's clock. */
export function quickTap({ id, owner, branch, now, code, topic, loggedAt }) {
  return saveEntry({
    id, owner, branch, loggedAt, deviceTime: true, label: topic,
    bodies: [{ id, branch, asked_at: now, topics: [code] }],
  });
}
