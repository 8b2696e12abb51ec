// Search as you type: after two characters, titles and document numbers of public records
// from the search page's JSON endpoint, as links under the search box. No dependencies.
(function () {
  "use strict";
  var input = document.querySelector("[data-suggest-url]");
  if (!input) return;
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var timer = null;
  var asked = "";
  function clear() { list.innerHTML = ""; list.hidden = true; }
  function show(items) {
    list.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title + (item.doc_no ? "（" + item.doc_no + "）" : "");
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { clear(); return; }
    timer = setTimeout(function () {
      asked = q;
      fetch(input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
      })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (data.q === asked) show(data.items); })
        .catch(clear);
    }, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") clear();
  });
})();
