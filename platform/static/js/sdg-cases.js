// The SDG case page, enhanced: "Usar esta sugerencia" ticks the goal (and target) in the
// form on the page instead of reloading it, so nothing typed is lost; ticking a target ticks
// its goal. Nothing is ever submitted from here. Without script the links reload the page
// with the boxes ticked (?marcar=...). Our own code; no third-party script.
(function () {
  "use strict";
  // The error summary of a form that failed (GOV.UK pattern): focused when the page loads,
  // so it is read first; each link takes focus to its input (opening the goal's list of
  // targets if the input is inside it) and brings its label into view.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link) { return; }
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) { return; }
      var details = input.closest("details");
      if (details) { details.open = true; }
      event.preventDefault();
      var label = input.labels && input.labels[0] ? input.labels[0] : input;
      label.scrollIntoView({ block: "center" });
      input.focus({ preventScroll: true });
    });
  }

  var form = document.querySelector("form[data-sdg-form]");
  if (!form) { return; }
  var status = document.getElementById("sdg-mark-status");

  function goalBox(number) {
    return form.querySelector('input[name="goals"][value="' + number + '"]');
  }

  function mark(value) {
    var box = null;
    var target = form.querySelector('input[name="targets"][value="' + value + '"]');
    var goalNumber = value.split(".")[0];
    var goal = goalBox(goalNumber);
    if (!goal) { return false; }
    goal.checked = true;
    box = goal;
    if (target) {
      target.checked = true;
      var details = target.closest("details");
      if (details) { details.open = true; }
      box = target;
    }
    box.focus();
    if (status) {
      var label = box.labels && box.labels[0] ? box.labels[0].textContent.replace(/\s+/g, " ").trim() : value;
      status.textContent = form.getAttribute("data-sdg-marked").replace("%s", label);
    }
    return true;
  }

  document.querySelectorAll("a[data-sdg-mark]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (mark(link.getAttribute("data-sdg-mark"))) { event.preventDefault(); }
    });
  });

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name === "targets" && input.checked) {
      var goal = goalBox(input.value.split(".")[0]);
      if (goal) { goal.checked = true; }
    }
  });
})();
