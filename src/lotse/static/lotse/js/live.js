// Live parts of the meeting pages. The server's event stream (or, without one, a stamp
// polled every two seconds) says when something changed; the parts marked data-live-part
// then reload through htmx. "version" parts reload when the meeting changed, "cast" parts
// also with every vote cast in the running poll.
(() => {
  // A refused vote (409) answers with its reason in place of the confirmation's form, as a
  // success does (htmx swaps neither errors nor their reasons by itself).
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 409 && event.detail.target.id === "cast-answer") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  const root = document.querySelector("[data-live-events]");
  if (!root || !window.htmx) return;
  // The stamp the page was drawn at; the first stamp heard is compared with it.
  let last = root.dataset.liveSince || null;
  const apply = (stamp) => {
    if (last !== null && stamp !== last) {
      const version = (s) => s.split(":")[0];
      const which = version(stamp) !== version(last) ? "[data-live-part]" : '[data-live-part="cast"]';
      document.querySelectorAll(which).forEach((part) => htmx.trigger(part, "live-update"));
    }
    last = stamp;
  };
  let timer = null;
  const poll = () => {
    if (timer) return;
    timer = setInterval(() => {
      // The stamp is public: sent without cookies, no session or user is loaded for it.
      fetch(root.dataset.liveStamp, { credentials: "omit", cache: "no-store" })
        .then((response) => (response.ok ? response.text() : null))
        .then((stamp) => stamp !== null && apply(stamp))
        .catch(() => {});
    }, 2000);
  };
  if (!window.EventSource) {
    poll();
    return;
  }
  const source = new EventSource(root.dataset.liveEvents);
  const onStamp = (event) => {
    if (timer) {
      clearInterval(timer);
      timer = null;
    }
    apply(event.data);
  };
  source.addEventListener("ready", onStamp);
  source.addEventListener("update", onStamp);
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) poll();
  });
})();
