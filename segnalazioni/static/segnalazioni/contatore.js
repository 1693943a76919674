/* A counter under every text area with a maxlength: "123 caratteri su 10000". The cap
   itself is the form's (and the browser's, through maxlength): this only shows it. The
   text is read by screen readers when typing stops, not at every key. */
(function () {
  "use strict";
  var aree = document.querySelectorAll("textarea[maxlength]");
  Array.prototype.forEach.call(aree, function (area) {
    var massimo = parseInt(area.getAttribute("maxlength"), 10);
    if (!massimo) { return; }
    var contatore = document.createElement("p");
    contatore.className = "form-text contatore-caratteri";
    contatore.id = (area.id || area.name) + "-contatore";
    contatore.setAttribute("aria-live", "polite");
    var modello = area.dataset.contatore || "{n} caratteri su {max}";
    var attesa = null;
    function aggiorna() {
      contatore.textContent = modello.replace("{n}", area.value.length).replace("{max}", massimo);
    }
    area.addEventListener("input", function () {
      window.clearTimeout(attesa);
      attesa = window.setTimeout(aggiorna, 400);
    });
    var descritto = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (descritto ? descritto + " " : "") + contatore.id);
    area.insertAdjacentElement("afterend", contatore);
    aggiorna();
  });
})();
