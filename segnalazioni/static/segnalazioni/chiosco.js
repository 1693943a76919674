/* The kiosk at the desk: after a while without a touch or a key, back to a clean start
   (the server forgets the unfinished form there); a print button for the receipt. */
(function () {
  "use strict";
  var chiosco = document.getElementById("chiosco");
  if (!chiosco) { return; }
  var secondi = parseInt(chiosco.dataset.inattivita, 10) || 120;
  var timer = null;
  function riparti() {
    clearTimeout(timer);
    timer = setTimeout(function () { window.location.replace(chiosco.dataset.ritorno); }, secondi * 1000);
  }
  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (evento) {
    document.addEventListener(evento, riparti, { passive: true });
  });
  riparti();
  var stampa = document.getElementById("chiosco-stampa");
  if (stampa) {
    stampa.hidden = false;
    stampa.addEventListener("click", function () { window.print(); });
  }
})();
