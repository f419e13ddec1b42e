// The structure picker: a <select> (usable without script) gains a search box that asks the
// picker API for matching items (accent- and case-insensitive, active items only) and keeps
// what is already chosen. Our own code; no third-party script.
(function () {
  "use strict";
  function enhance(select) {
    var url = select.getAttribute("data-picker-url");
    if (!url) { return; }
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker-search";
    input.id = select.id + "_search";
    input.setAttribute("aria-controls", select.id);
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "picker-label";
    label.textContent = (document.documentElement.lang === "en" ? "Search " : "Buscar ") + (select.labels && select.labels[0] ? select.labels[0].textContent.replace(/:$/, "") : "");
    var status = document.createElement("p");
    status.className = "help";
    status.setAttribute("role", "status");
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) {
            var chosen = {};
            Array.prototype.forEach.call(select.options, function (o) { if (o.selected) { chosen[o.value] = o.text; } });
            Array.prototype.slice.call(select.options).forEach(function (o) { if (!o.selected && o.value) { o.remove(); } });
            data.results.forEach(function (item) {
              if (!chosen[String(item.id)]) { select.add(new Option(item.label, item.id)); }
            });
            status.textContent = data.results.length + (document.documentElement.lang === "en" ? " matches" : " coincidencias");
          });
      }, 200);
    });
  }
  document.querySelectorAll("select[data-picker-url]").forEach(enhance);
})();
