import { test } from "node:test";
import assert from "node:assert/strict";
import { offerLabel, paperOf, slipsToOffer } from "../../static/js/desk/slip.js";

test("only ticked referrals with contact details are offered, in order, once", () => {
  assert.deepEqual(slipsToOffer(["duo", "uwv", "lib-a.buurtteam", "uwv"], ["uwv", "lib-a.buurtteam"]),
    ["uwv", "lib-a.buurtteam"]);
  assert.deepEqual(slipsToOffer([], ["uwv"]), []);
  assert.deepEqual(slipsToOffer(["duo"], []), []);
});

test("the offer names the partner", () => {
  assert.equal(offerLabel("Verwijskaart: %(name)s", "Juridisch Loket"), "Verwijskaart: Juridisch Loket");
});

test("the paper is A6 unless the roll is asked for", () => {
  assert.equal(paperOf("roll"), "roll");
  assert.equal(paperOf("a6"), "a6");
  assert.equal(paperOf("A4"), "a6");
  assert.equal(paperOf(undefined), "a6");
});
