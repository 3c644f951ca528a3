"use client";
import { useEffect } from "react";
import { bootDone } from "./theme";

/**
 * In the root layout, so that every page clears the "booting" mark once React has hydrated it and
 * its buttons have their handlers (theme.ts says why the mark exists).
 */
export function BootDone() {
  useEffect(bootDone, []);
  return null;
}
