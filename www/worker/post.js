// Sending to the page, for every module of the worker: one message of the
// protocol (protocol.js) at a time, with the buffers to transfer, and the
// words of a caught error for the messages that carry one.

/** Posts {type, ...payload} to the page, transferring `transfer`. */
export const post = (type, payload = {}, transfer = []) =>
  self.postMessage({ type, ...payload }, transfer);

/** What went wrong, as a message for the page. */
export const messageOf = (e) => (e instanceof Error ? e.message : String(e));
