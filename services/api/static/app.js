// Schakel pages: send the session's CSRF token with every htmx request, fold the phone header's
// menu, draw the dashboard's charts; all in this file so the Content-Security-Policy needs no
// inline script.
"use strict";

// On a phone the header's menu folds behind its button (the CSS shows the button only then);
// without this script the menu stays open and wraps small.
const menuButton = document.querySelector("header.site .menu-toggle");
if (menuButton) {
  menuButton.closest("header").classList.add("js-menu");
  menuButton.addEventListener("click", () => {
    const open = menuButton.getAttribute("aria-expanded") === "true";
    menuButton.setAttribute("aria-expanded", String(!open));
  });
}

document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.content;
  }
});

// The review queue's poller waits while the coordinator writes a rejection or a revocation
// (an open <details> in the list), so a refresh never wipes a half-written reason; the list of
// one's postings likewise while a withdrawal is being confirmed.
const OPEN_FORMS = { queue: "#wachtrij details[open]", postings: "#postings details[open]" };
document.addEventListener("htmx:beforeRequest", (event) => {
  const open = OPEN_FORMS[event.detail.elt.dataset.poll];
  if (open && document.querySelector(open)) {
    event.preventDefault();
  }
});

// Draws every <canvas data-chart="..."> with Chart.js; the figures are also in a table next to it.
document.addEventListener("DOMContentLoaded", () => {
  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const spec = JSON.parse(canvas.dataset.chart);
    new window.Chart(canvas, {
      type: spec.type,
      data: spec.data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { title: { display: false }, legend: { position: "bottom" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
});
