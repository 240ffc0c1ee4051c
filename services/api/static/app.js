// Schakel pages: send the session's CSRF token with every htmx request, charts live in
// charts.js so the Content-Security-Policy needs no inline script.
"use strict";

document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});
