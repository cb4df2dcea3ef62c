/* The desk's question form and the script: what a form says as the API's JSON, an entry put
   back into the form (to be corrected), and a refusal shown at its fields with the error
   summary, as the server shows it without JavaScript; and what a session tile's form says. */

/* The API's names of a refusal's fields, as the form names them. */
const FORM_FIELD = { asked_at: "asked_date" };

export function checked(form, name) {
  return Array.from(form.elements).filter((el) => el.name === name && el.checked).map((el) => el.value);
}

export function labelOf(form, name, value) {
  const input = form.querySelector(`input[name="${name}"][value="${value}"]`);
  const label = input && form.querySelector(`label[for="${input.id}"] .toggle-label`);
  return label ? label.textContent.trim() : value;
}

/* The API's body of the desk form, and the labels the page shows for it. */
export function readQuestionForm(form, { id, branch, moment }) {
  const topics = checked(form, "topics");
  const note = form.elements.note && form.elements.note.value.trim() ? form.elements.note.value : null;
  const body = {
    id, branch, asked_at: moment, topics,
    agencies: checked(form, "agencies"), referrals: checked(form, "referrals"), help: checked(form, "help"),
    channel: checked(form, "channel")[0], outcome: checked(form, "outcome")[0],
    duration_minutes: parseInt(checked(form, "duration_minutes")[0], 10), note,
  };
  return {
    body,
    label: topics.map((t) => labelOf(form, "topics", t)).join(", "),
    referrals: body.referrals.map((r) => labelOf(form, "referrals", r)).join(", "),
  };
}

/* An entry back into the form, to be saved again under its id and the moment it was logged. */
export function putBack(form, entry) {
  const body = entry.bodies[0];
  form.reset();
  for (const el of form.elements) {
    if (el.type !== "checkbox" && el.type !== "radio") continue;
    const values = [].concat(body[el.name] == null ? [] : body[el.name]).map(String);
    el.checked = values.includes(el.value);
  }
  if (form.elements.note) form.elements.note.value = body.note || "";
  form.dataset.fixId = entry.id;
  form.dataset.fixMoment = body.asked_at;
  form.dispatchEvent(new Event("change", { bubbles: true }));  // follow-ups shown (ido.js)
}

/* Take away the refusal the script showed. */
export function clearRefusal(doc) {
  for (const el of doc.querySelectorAll("[data-script-error]")) el.remove();
  for (const el of doc.querySelectorAll("[data-script-invalid]")) {
    el.classList.remove("has-error");
    el.removeAttribute("aria-invalid");
    el.removeAttribute("data-script-invalid");
  }
  for (const el of doc.querySelectorAll("[data-script-described]")) {
    const kept = el.getAttribute("data-script-described");
    if (kept) el.setAttribute("aria-describedby", kept);
    else el.removeAttribute("aria-describedby");
    el.removeAttribute("data-script-described");
  }
}

function mark(el) {
  el.setAttribute("data-script-invalid", "");
  el.classList.add("has-error");
}

/* A refusal as the server shows one: each message at its field (in red), the error summary
   at the top of the page linking to them, focused. The summary's markup is the server's
   (<template data-error-summary-template>). */
export function showRefusal(doc, form, found, fallback) {
  clearRefusal(doc);
  const template = doc.querySelector("template[data-error-summary-template]");
  if (!template) return;
  const summary = template.content.firstElementChild.cloneNode(true);
  summary.setAttribute("data-script-error", "");
  summary.removeAttribute("autofocus");
  const list = summary.querySelector("ul");
  const errors = (found && found.errors) || { _: [{ message: fallback }] };
  for (const [apiName, problems] of Object.entries(errors)) {
    const name = FORM_FIELD[apiName] || apiName;
    const group = doc.getElementById(`${name}-fieldset`);
    const input = group ? null : form.querySelector(`#${CSS.escape(name)}`);
    const place = group || input;
    const caption = group ? group.querySelector("legend") : input && form.querySelector(`label[for="${input.id}"]`);
    if (place) {
      const messages = doc.createElement("ul");
      messages.className = "field-errors";
      messages.id = `${name}-errors`;
      messages.setAttribute("data-script-error", "");
      for (const p of problems) messages.appendChild(Object.assign(doc.createElement("li"), { textContent: p.message }));
      const described = group || input;  // its own hint first, then the messages
      const before = described.getAttribute("aria-describedby") || "";
      described.setAttribute("data-script-described", before);
      described.setAttribute("aria-describedby", `${before} ${messages.id}`.trim());
      if (group) {
        mark(group);
        group.querySelector("legend").after(messages);
      } else {
        mark(input.closest(".field") || input);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("data-script-invalid", "");
        input.after(messages);
        const details = input.closest("details");
        if (details) details.open = true;
      }
    }
    for (const p of problems) {
      const item = doc.createElement("li");
      if (place && caption) {
        const link = doc.createElement("a");
        link.href = `#${place.id}`;
        link.textContent = `${caption.textContent.trim()}: ${p.message}`;
        item.appendChild(link);
      } else {
        item.textContent = p.message;
      }
      list.appendChild(item);
    }
  }
  const main = doc.querySelector("main") || doc.body;
  main.prepend(summary);
  summary.focus();
}

/* The count a session tile's form sends: the number tapped, or the one typed under "Meer";
   null when it is not a whole number (then the form posts, and the server explains). */
export function readCount(form, submitter) {
  const typed = submitter && submitter.name === "count" ? submitter.value : form.elements.count && form.elements.count.value;
  const text = String(typed ?? "").trim();
  return /^[0-9]{1,7}$/.test(text) ? Number(text) : null;
}

/* The session of a tile: its id, its name, and the name with its day and time (the queue's
   line). */
export function describeTile(tile) {
  const name = tile.querySelector(".session-name").textContent.trim();
  const when = tile.querySelector("summary .muted");
  return {
    session: Number(tile.getAttribute("data-session-id")), name,
    label: when ? `${name}, ${when.textContent.trim()}` : name,
  };
}
