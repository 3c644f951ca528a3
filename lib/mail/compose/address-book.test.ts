import { describe, expect, it } from "vitest";
import { rememberAddresses, suggestAddresses } from "./address-book";

describe("address book", () => {
  it("suggests by address or name prefix, most used first, never the user's own address, per login", () => {
    rememberAddresses("me@example.test", [
      { name: "Bob Builder", address: "bob@example.test" },
      { name: "", address: "bobby@example.org" },
      { name: "Me", address: "ME@example.test" },
    ]);
    rememberAddresses("me@example.test", [{ name: "", address: "bobby@example.org" }], 3);
    expect(suggestAddresses("me@example.test", "bob")).toEqual([
      { name: "", address: "bobby@example.org" },
      { name: "Bob Builder", address: "bob@example.test" },
    ]);
    expect(suggestAddresses("me@example.test", "build")).toEqual([{ name: "Bob Builder", address: "bob@example.test" }]);
    expect(suggestAddresses("me@example.test", "me")).toEqual([]);
    expect(suggestAddresses("someone-else@example.test", "bob")).toEqual([]);
  });
});
