// The structure picker: a <select> (usable without script) gains a search box that asks the
// picker API for matching items (accent- and case-insensitive, active items only) and keeps
// what is already chosen. Texts come from the page (data-*), so they are translated there.
// Our own code; no third-party script.
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
    input.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "picker-label";
    var fieldLabel = select.labels && select.labels[0] ? select.labels[0].textContent.replace(/:\s*$/, "") : "";
    label.textContent = select.getAttribute("data-picker-search") + " " + fieldLabel;
    var status = document.createElement("p");
    status.className = "help";
    status.setAttribute("role", "status");
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    var timer = null;
    var pending = null;
    input.addEventListener("keydown", function (event) {
      // Enter searches; it must not submit the whole form.
      if (event.key === "Enter") { event.preventDefault(); }
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (pending) { pending.abort(); }  // only the latest answer counts
        pending = new AbortController();
        fetch(url + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin", signal: pending.signal })
          .then(function (response) {
            if (!response.ok) { throw new Error(String(response.status)); }
            return response.json();
          })
          .then(function (data) {
            var chosen = {};
            Array.prototype.forEach.call(select.options, function (o) { if (o.selected) { chosen[o.value] = true; } });
            Array.prototype.slice.call(select.options).forEach(function (o) { if (!o.selected && o.value) { o.remove(); } });
            data.results.forEach(function (item) {
              if (!chosen[String(item.id)]) { select.add(new Option(item.label, item.id)); }
            });
            status.textContent = select.getAttribute("data-picker-matches").replace("%s", data.results.length);
          })
          .catch(function (error) {
            if (error.name !== "AbortError") { status.textContent = select.getAttribute("data-picker-failed"); }
          });
      }, 200);
    });
  }
  document.querySelectorAll("select[data-picker-url]").forEach(enhance);
})();
