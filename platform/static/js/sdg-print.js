// The workshop summary's "Imprimir" button (progressive enhancement): it appears only where
// script runs, and prints the page. Without script the browser's own print still works, and
// the PDF link is always there. Our own code; no third-party script.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
