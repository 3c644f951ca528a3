"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "./api-client";
import { mailKeys } from "./keys";

export function useFolders() {
  return useQuery({ queryKey: mailKeys.folders(), queryFn: api.folders });
}
