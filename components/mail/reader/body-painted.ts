// A message's body has been painted in the reader: what waits for the reader to be done with its
// first paint (the history entry of the message opened: use-mail-location.ts) waits for this.
const BODY_PAINTED = "letterbox:body-painted";

/** Said by the body's frame once its document has been painted. */
export function tellBodyPainted(): void {
  window.dispatchEvent(new Event(BODY_PAINTED));
}

/** Settles at the next body painted. */
export function nextBodyPainted(): Promise<void> {
  return new Promise((resolve) => window.addEventListener(BODY_PAINTED, () => resolve(), { once: true }));
}
