// Mediazione: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // A joint meeting is held with every party: it cannot be marked as not to be shared.
  var tipo = document.getElementById("id_tipo");
  var riservata = document.getElementById("id_non_condividere");
  if (tipo && riservata) {
    var aggiorna = function () {
      var congiunto = tipo.value === "incontro_congiunto";
      if (congiunto) { riservata.checked = false; }
      riservata.disabled = congiunto;
    };
    tipo.addEventListener("change", aggiorna);
    aggiorna();
  }
  // The consent date follows the consent checkbox.
  var consenso = document.getElementById("id_consenso_mediazione");
  var data = document.getElementById("id_consenso_data");
  if (consenso && data) {
    consenso.addEventListener("change", function () {
      if (consenso.checked && !data.value) {
        data.value = new Date().toISOString().slice(0, 10);
      }
      if (!consenso.checked) { data.value = ""; }
    });
  }
})();
