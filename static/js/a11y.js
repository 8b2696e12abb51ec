// Font-size and high-contrast controls (适老化). Choices are kept in cookies so the server
// renders the page the same way on the next visit, with no flash.
(function () {
  "use strict";
  var root = document.documentElement;
  function setCookie(name, value) {
    document.cookie = name + "=" + value + ";path=/;max-age=31536000;samesite=lax";
  }
  function sync() {
    document.querySelectorAll("[data-a11y]").forEach(function (btn) {
      var key = btn.getAttribute("data-a11y");
      var on = root.getAttribute("data-" + key) === (key === "font" ? "large" : "high");
      btn.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var btn = event.target.closest("[data-a11y]");
    if (!btn) return;
    var key = btn.getAttribute("data-a11y");
    var onValue = key === "font" ? "large" : "high";
    var next = root.getAttribute("data-" + key) === onValue ? "normal" : onValue;
    root.setAttribute("data-" + key, next);
    setCookie(key === "font" ? "gk_font" : "gk_contrast", next);
    sync();
  });
  // The annual report's statutory tables: each in its own sideways-scrolling box.
  function wrapReportTables() {
    document.querySelectorAll(".annual-report table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }
  // A box or table that scrolls sideways on a small screen must be reachable by keyboard.
  function scrollableTables() {
    document.querySelectorAll(".table-scroll").forEach(function (box, i) {
      if (box.scrollWidth > box.clientWidth + 1) {
        // Each region needs its own name: the caption when there is one, and its number.
        var caption = box.querySelector("caption");
        var name = (caption ? caption.textContent.trim() + " " : "") + "表格" + (i + 1);
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name + "（可左右滚动）");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
    document.querySelectorAll("table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
        if (!table.hasAttribute("aria-label") && !table.querySelector("caption")) {
          table.setAttribute("aria-label", "表格（可左右滚动）");
        }
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    sync();
    wrapReportTables();
    scrollableTables();
  });
  window.addEventListener("resize", scrollableTables);
})();
