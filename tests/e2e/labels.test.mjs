// Naming a device: the user renames a device on its card; the name shows wherever the device
// does, survives a reload (kept in localStorage by MAC), travels in a share link only when the
// link keeps names, and an empty name gives the device its own name back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { headline, openSite } from "./harness.mjs";

async function openDemo(page) {
  await page.getByRole("button", { name: "Try a demo capture" }).click();
  await headline(page);
}

/** The card of the device with this id. */
function cardOf(page, id) {
  return page.locator(`article.device[data-device="${id}"]`);
}

describe("naming a device", () => {
  it("names a device everywhere, remembers it, and shares it only with names kept", async () => {
    const site = await openSite();
    const recipients = [];
    try {
      const { page } = site;
      await openDemo(page);
      // The TV: its own name in the capture is LGwebOSTV.
      const tv = page.locator("article.device").filter({ has: page.getByRole("heading", { name: "LGwebOSTV" }) });
      const id = await tv.getAttribute("data-device");
      const card = cardOf(page, id);
      await card.getByRole("button", { name: "Rename LGwebOSTV" }).click();
      const field = card.getByLabel("Name on this browser");
      await field.fill("Living room TV\u202e");
      await card.getByRole("button", { name: "Save" }).click();
      // A direction-changing character makes the name unusable: nothing is named.
      await card.getByRole("heading", { name: "LGwebOSTV" }).waitFor();

      await card.getByRole("button", { name: "Rename LGwebOSTV" }).click();
      await card.getByLabel("Name on this browser").fill("  Living room TV ");
      await card.getByRole("button", { name: "Save" }).click();
      await card.getByRole("heading", { name: "Living room TV" }).waitFor();
      assert.match(await card.innerText(), /named LGwebOSTV in the capture/i);
      // The destinations table and its device filter use the name too.
      const row = page.locator("table.destination-table tr.row").filter({ hasText: "snu.lgtvsdp.com" });
      const rowText = await row.innerText();
      assert.ok(rowText.includes("Living room TV"), rowText);

      // Remembered on this browser, by MAC.
      await page.reload();
      await openDemo(page);
      await cardOf(page, id).getByRole("heading", { name: "Living room TV" }).waitFor();

      // A link that drops names does not carry it; one that keeps names does.
      await page.getByRole("button", { name: "Share report…" }).click();
      const dialog = page.getByRole("dialog", { name: "Share this report" });
      const redacted = await page.locator("#share-link").inputValue();
      await page.locator("#share-keep-names").check();
      await dialog.locator("#share-preview").getByText("Living room TV").first().waitFor();
      const named = await page.locator("#share-link").inputValue();
      await dialog.getByRole("button", { name: "Done" }).click();
      for (const [link, shown] of [[redacted, false], [named, true]]) {
        const recipient = await openSite({ url: link });
        recipients.push(recipient);
        await headline(recipient.page);
        const text = await recipient.page.locator(".devices").innerText();
        assert.equal(text.includes("Living room TV"), shown, link === named ? "names kept" : "names dropped");
        assert.equal(await recipient.page.getByRole("button", { name: /^Rename/ }).count(), 0, "a shared report is not renamed");
      }

      // An empty name gives the device its own name back.
      await cardOf(page, id).getByRole("button", { name: "Rename Living room TV" }).click();
      await cardOf(page, id).getByLabel("Name on this browser").fill("");
      await cardOf(page, id).getByRole("button", { name: "Save" }).click();
      await cardOf(page, id).getByRole("heading", { name: "LGwebOSTV" }).waitFor();
      assert.deepEqual(site.problems, []);
    } finally {
      for (const r of recipients) await r.close();
      await site.close();
    }
  });
});
