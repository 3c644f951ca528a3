import { expect, test } from "@playwright/test";
import { CAROL } from "./imap";

// Temporary (not committed): screenshots of the conversation view.
for (const [w, h] of [[1440, 900], [390, 844]] as const) {
  for (const scheme of ["light", "dark"] as const) {
    test(`shots ${w} ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto("/login");
      await page.getByLabel("Email").fill(CAROL.email);
      await page.getByLabel("Password").fill(CAROL.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/mail/);
      const list = page.getByRole("region", { name: "Messages", exact: true });
      const row = list.getByRole("listitem").filter({ hasText: "Boat trip" }).first();
      await expect(row).toBeVisible();
      await page.screenshot({ path: `/tmp/conv-shots/list-${w}-${scheme}.png` });
      await row.getByRole("button").click();
      const stack = page.getByRole("list", { name: "Messages in this conversation" });
      await expect(stack).toBeVisible();
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `/tmp/conv-shots/reader-${w}-${scheme}.png` });
      if (w === 1440 && scheme === "light") {
        await page.getByRole("button", { name: "Sort" }).click();
        await expect(page.getByRole("menuitemcheckbox", { name: "Conversations" })).toBeVisible();
        await page.screenshot({ path: `/tmp/conv-shots/menu-${w}-${scheme}.png` });
      }
    });
  }
}
