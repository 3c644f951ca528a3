import { describe, expect, it } from "vitest";
import { isAllowlistedHost, isPublicAddress } from "./address-policy";

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254", // cloud metadata
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "192.0.2.1",
    "198.18.0.1",
    "::1",
    "::",
    "[::1]",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:a9fe:a9fe", // 169.254.169.254, hexadecimal mapped form
    "64:ff9b::a00:1",
    "2002:7f00:1::",
    "2001:db8::1",
    "not an address",
    "localhost",
  ])("refuses %s", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["93.184.216.34", "1.1.1.1", "8.8.8.8", "172.32.0.1", "192.169.0.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:93.184.216.34"])(
    "allows %s",
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe("isAllowlistedHost", () => {
  it("matches a host on any port, or host:port exactly, without case", () => {
    expect(isAllowlistedHost(new URL("http://127.0.0.1:4321/x"), ["127.0.0.1"])).toBe(true);
    expect(isAllowlistedHost(new URL("http://CANARY.test:8080/x"), ["canary.test:8080"])).toBe(true);
    expect(isAllowlistedHost(new URL("http://canary.test:8081/x"), ["canary.test:8080"])).toBe(false);
    expect(isAllowlistedHost(new URL("http://canary.test/x"), ["canary.test:80"])).toBe(true);
    expect(isAllowlistedHost(new URL("https://canary.test/x"), ["canary.test:80"])).toBe(false);
    expect(isAllowlistedHost(new URL("http://[::1]:9/x"), ["::1"])).toBe(true);
  });

  it("allows nothing with an empty list, and no other name for the same address", () => {
    expect(isAllowlistedHost(new URL("http://127.0.0.1/x"), [])).toBe(false);
    expect(isAllowlistedHost(new URL("http://localhost/x"), ["127.0.0.1"])).toBe(false);
    expect(isAllowlistedHost(new URL("http://127.0.0.1.evil.example/x"), ["127.0.0.1"])).toBe(false);
  });
});
