// The SDG case page, enhanced: "Usar esta sugerencia" ticks the goal (and target) in the
// form on the page instead of reloading it, so nothing typed is lost; ticking a target ticks
// its goal. Nothing is ever submitted from here. Without script the links reload the page
// with the boxes ticked (?marcar=...). Our own code; no third-party script.
(function () {
  "use strict";
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
