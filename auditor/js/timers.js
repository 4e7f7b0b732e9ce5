// Installed before any page script runs (context.add_init_script). It lets the visitor
// "wait sensibly" (spec section 4): a page is settled when no request is in flight and
// no short timer is still pending, so a chat bubble that a page injects 3 s after load
// is waited for, while a page with nothing scheduled is not waited on at all.
// Only one-shot timers between 50 ms and 10 s are tracked: shorter ones are part of the
// current task, longer ones are not "on the page" for a person who is looking.
(() => {
  if (window.__caTimers) return;
  const pending = new Map();
  const nativeSet = window.setTimeout.bind(window);
  const nativeClear = window.clearTimeout.bind(window);
  window.__caTimers = () => {
    const now = performance.now();
    return [...pending.values()].map((end) => Math.max(0, end - now));
  };
  window.setTimeout = function (fn, delay, ...rest) {
    const ms = Number(delay) || 0;
    if (typeof fn !== "function" || ms < 50 || ms > 10000) return nativeSet(fn, delay, ...rest);
    let handle;
    const wrapped = function () { pending.delete(handle); return fn.apply(this, arguments); };
    handle = nativeSet(wrapped, ms, ...rest);
    pending.set(handle, performance.now() + ms);
    return handle;
  };
  window.clearTimeout = function (handle) { pending.delete(handle); return nativeClear(handle); };
})();
