/* The referral slip (Verwijskaart): when a referral is ticked whose agency or partner has
   contact details, the desk offers its slip; the slip opens large in a dialog, to photograph,
   or prints on A6 or an 80 mm receipt roll. Everything comes from the page (a <template> per
   partner), so it needs no request and works offline. Nothing of it is stored or sent.

   The pure parts (which slips to offer, their labels, the paper) are tested by Node. */

export const PAPERS = ["a6", "roll"];

/* The codes of the ticked referrals that have a slip, in the order ticked, each once. */
export function slipsToOffer(ticked, available) {
  const have = new Set(available);
  return [...new Set(ticked)].filter((code) => have.has(code));
}

/* "Verwijskaart: %(name)s" with the partner's name. */
export function offerLabel(template, name) {
  return template.replace("%(name)s", name);
}

/* The paper a print asks for; A6 unless it names the roll. */
export function paperOf(choice) {
  return PAPERS.includes(choice) ? choice : "a6";
}

/* Wires the page's slips (the desk page; nothing happens on a page without them). */
export function startSlips(doc) {
  const dialog = doc.querySelector("[data-slip-dialog]");
  const offer = doc.querySelector("[data-slip-offer]");
  if (!dialog || !offer || typeof dialog.showModal !== "function") return;
  const form = offer.closest("form");
  const list = offer.querySelector("[data-slip-buttons]");
  const templates = new Map(
    [...doc.querySelectorAll("template[data-slip]")].map((t) => [t.dataset.slip, t]));
  // print CSS hides every other child of <body> while the slip is open
  doc.body.append(dialog);

  function ticked() {
    return [...form.querySelectorAll('input[name="referrals"]:checked')].map((box) => box.value);
  }

  function refresh() {
    const codes = slipsToOffer(ticked(), [...templates.keys()]);
    list.replaceChildren(...codes.map((code) => {
      const item = doc.createElement("li");
      const button = doc.createElement("button");
      button.type = "button";
      button.className = "button";
      const name = templates.get(code).content.querySelector(".slip-name").textContent;
      button.textContent = offerLabel(list.dataset.label, name);
      button.addEventListener("click", () => open(code));
      item.append(button);
      return item;
    }));
    offer.hidden = codes.length === 0;
  }

  function open(code) {
    const card = dialog.querySelector("[data-slip-card]");
    card.replaceChildren(templates.get(code).content.cloneNode(true));
    dialog.setAttribute("aria-label", card.querySelector(".slip-name").textContent);
    dialog.showModal();
  }

  for (const button of dialog.querySelectorAll("[data-slip-print]")) {
    button.addEventListener("click", () => {
      dialog.querySelector("[data-slip-card]").dataset.paper = paperOf(button.dataset.slipPrint);
      window.print();
    });
  }
  // any change: after a save (the form emptied by the script) the slip stays offered until
  // the form is next touched, so it can still be shown once the question is saved
  form.addEventListener("change", refresh);
  refresh();
}
