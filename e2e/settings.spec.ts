import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./compose-support";

// axe-core from npm, injected into the page as it is: the same engine browser extensions run.
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; nodes: string[] }[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

const settingsRegion = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

test.describe("Settings", () => {
  test.afterEach(async ({ page, baseURL }) => {
    // Carol's other tests expect the defaults: put them back whatever happened above.
    await page.request.put("/api/settings", {
      headers: { Origin: baseURL! },
      data: { displayName: "", signature: { format: "text", body: "" }, density: "comfortable", autoAdvance: "newer", theme: "system" },
    });
  });

  test("changes stick across a reload, are kept on the server, and lead back to the mail", async ({ page }) => {
    await signIn(page, USERS.carol);
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    const save = page.getByRole("button", { name: "Save changes" });
    await expect(save).toBeDisabled();

    const profile = settingsRegion(page, "Profile");
    await profile.getByLabel("Display name").fill("Carol Example");
    await profile.getByRole("textbox", { name: "Signature" }).fill("-- \nCarol, from the settings test");
    await settingsRegion(page, "Appearance").getByRole("group", { name: "Theme" }).getByRole("radio", { name: "Dark", exact: true }).check();
    await settingsRegion(page, "Appearance").getByRole("group", { name: "Density" }).getByRole("radio", { name: "Compact", exact: true }).check();
    await settingsRegion(page, "Reading").getByRole("radio", { name: "Open the next older message" }).check();
    await expect(page.getByRole("form", { name: "Settings" }).getByRole("status")).toHaveText("You have unsaved changes.");
    await save.click();
    await expect(page.getByRole("form", { name: "Settings" }).getByRole("status")).toHaveText("Settings saved.");
    await expect(save).toBeDisabled();

    await page.reload();
    await expect(profile.getByLabel("Display name")).toHaveValue("Carol Example");
    await expect(profile.getByRole("textbox", { name: "Signature" })).toHaveValue("-- \nCarol, from the settings test");
    await expect(page.getByRole("radio", { name: "Dark", exact: true })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Compact", exact: true })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Open the next older message" })).toBeChecked();
    const stored = await (await page.request.get("/api/settings")).json();
    expect(stored).toMatchObject({ displayName: "Carol Example", theme: "dark", density: "compact", autoAdvance: "older" });

    // A rich signature: the composer's editor, the words carried over, kept as HTML.
    await profile.getByRole("radio", { name: "Rich text" }).check();
    const editor = profile.getByRole("textbox", { name: "Signature" });
    await expect(editor).toHaveAttribute("contenteditable", "true");
    await expect(editor).toContainText("Carol, from the settings test");
    await editor.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+b");
    await page.keyboard.type("Bold line");
    await save.click();
    await expect(page.getByRole("form", { name: "Settings" }).getByRole("status")).toHaveText("Settings saved.");
    await page.reload();
    await expect(page.getByRole("radio", { name: "Rich text" })).toBeChecked();
    await expect(profile.getByRole("textbox", { name: "Signature" }).locator("strong")).toHaveText("Bold line");
    // (The editor drops the trailing space of the "-- " line: in HTML it has no meaning.)
    expect((await (await page.request.get("/api/settings")).json()).signature).toEqual({
      format: "html",
      body: expect.stringMatching(/^<p>-- ?<\/p><p>Carol, from the settings test<\/p><p><strong>Bold line<\/strong><\/p>$/),
    });

    // Discarding puts back what is stored.
    await profile.getByLabel("Display name").fill("Someone else");
    await page.getByRole("button", { name: "Discard changes" }).click();
    await expect(profile.getByLabel("Display name")).toHaveValue("Carol Example");

    await page.getByRole("link", { name: "Back to mail" }).click();
    await expect(page).toHaveURL(/\/mail/);

    // The composer says who the message is from: the display name and the login's address.
    await page.getByRole("button", { name: "Compose" }).click();
    const composer = page.getByRole("region", { name: "New message" });
    await expect(composer.getByRole("group", { name: "From" })).toContainText(`Carol Example <${USERS.carol.email}>`);
    await composer.getByRole("button", { name: "Discard" }).click();
  });

  test("shows the server's reason when it refuses a value", async ({ page }) => {
    await signIn(page, USERS.carol);
    await page.goto("/settings");
    // A 201st character cannot be typed (maxlength), so the refusal is provoked by the server's own limit on the request.
    await page.route("/api/settings", (route) =>
      route.request().method() === "PUT"
        ? route.continue({ postData: JSON.stringify({ displayName: "x".repeat(201) }) })
        : route.continue(),
    );
    await page.getByLabel("Display name").fill("Carol");
    await page.getByRole("button", { name: "Save changes" }).click();
    // (Next's route announcer is an empty alert of its own.)
    await expect(page.getByRole("alert").filter({ hasText: "displayName" })).toContainText("The request was not understood");
    await expect(page.getByRole("button", { name: "Save changes" })).toBeEnabled();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      test(`is axe-clean and fits ${viewport.width}×${viewport.height} in ${colorScheme} mode`, async ({ page }, testInfo) => {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme });
        await signIn(page, USERS.carol);
        await page.goto("/settings");
        await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
        // With unsaved changes, so the save bar shows its status and both buttons.
        await page.getByLabel("Display name").fill("Carol Example");
        await expect(page.getByRole("button", { name: "Discard changes" })).toBeVisible();
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        expect(await axeViolations(page)).toEqual([]);
        await page.screenshot({ path: testInfo.outputPath(`settings-${viewport.width}x${viewport.height}-${colorScheme}.png`) });
      });
    }
  }
});
