import "server-only";
// Every job of the app, registered wherever a worker runs (in the app or `npm run worker`).
// A feature adds its job module here (the outbox, POP3 fetching, …).
import "@/lib/mail/compose/sweep-uploads-job";
import "@/lib/mail/outbox/outbox-job";
import "@/lib/mail/fetch-pop3/pop3-fetch-job";
import "@/lib/mail/cache/sweep-list-cache-job";
