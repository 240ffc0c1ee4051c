// Schakel pages: send the session's CSRF token with every htmx request, charts live in
// charts.js so the Content-Security-Policy needs no inline script.
"use strict";

document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// The review queue's poller waits while the coordinator writes a rejection or a revocation
// (an open <details> in the list), so a refresh never wipes a half-written reason.
document.addEventListener("htmx:beforeRequest", (event) => {
  const source = event.detail.elt;
  if (source.dataset.poll === "queue" && document.querySelector("#wachtrij details[open]")) {
    event.preventDefault();
  }
});
