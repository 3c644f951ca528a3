import { redirect } from "next/navigation";
import { currentLogin } from "@/lib/auth/mail-session";

export default async function Home() {
  redirect((await currentLogin()) ? "/mail" : "/login");
}
