import { describe, expect, it } from "vitest";
import { rememberAddresses, suggestAddresses } from "./address-book";

describe("address book", () => {
  it("suggests by address or name prefix, most used first, never the user's own address, per login", async () => {
    await rememberAddresses("me@example.test", [
      { name: "Bob Builder", address: "bob@example.test" },
      { name: "", address: "bobby@example.org" },
      { name: "Me", address: "ME@example.test" },
    ]);
    await rememberAddresses("me@example.test", [{ name: "", address: "bobby@example.org" }], 3);
    expect(await suggestAddresses("me@example.test", "bob")).toEqual([
      { name: "", address: "bobby@example.org" },
      { name: "Bob Builder", address: "bob@example.test" },
    ]);
    expect(await suggestAddresses("me@example.test", "build")).toEqual([{ name: "Bob Builder", address: "bob@example.test" }]);
    expect(await suggestAddresses("me@example.test", "me")).toEqual([]);
    expect(await suggestAddresses("someone-else@example.test", "bob")).toEqual([]);
  });

  it("keeps a name learned earlier when an address comes back without one", async () => {
    await rememberAddresses("me2@example.test", [{ name: "Dana Scully", address: "dana@example.test" }]);
    await rememberAddresses("me2@example.test", [{ name: "", address: "DANA@example.test" }]);
    expect(await suggestAddresses("me2@example.test", "sc")).toEqual([{ name: "Dana Scully", address: "dana@example.test" }]);
  });
});
