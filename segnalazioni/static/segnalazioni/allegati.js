/* The attachments rule checked before anything is sent: on a file input with data-max-file
   and data-max-byte, too many files or a file too large shows the rule under the field and
   keeps the form from being sent, so nothing typed is lost to a refused upload. The server
   checks the same rule again (segnalazioni/allegati.py). */
(function () {
  "use strict";
  var campi = document.querySelectorAll("input[type=file][data-max-file][data-max-byte]");
  Array.prototype.forEach.call(campi, function (campo) {
    var massimoFile = parseInt(campo.dataset.maxFile, 10);
    var massimoByte = parseInt(campo.dataset.maxByte, 10);
    var avviso = document.createElement("div");
    avviso.className = "invalid-feedback d-block";
    avviso.id = (campo.id || campo.name) + "-controllo";
    avviso.setAttribute("role", "alert");
    campo.insertAdjacentElement("afterend", avviso);
    var descritto = campo.getAttribute("aria-describedby");
    campo.setAttribute("aria-describedby", (descritto ? descritto + " " : "") + avviso.id);

    function problema() {
      var file = campo.files || [];
      if (file.length > massimoFile) {
        return campo.dataset.troppi + " " + campo.dataset.regola;
      }
      for (var i = 0; i < file.length; i++) {
        if (file[i].size > massimoByte) {
          return campo.dataset.grande.replace("{nome}", file[i].name) + " " + campo.dataset.regola;
        }
      }
      return "";
    }

    function controlla() {
      var testo = problema();
      avviso.textContent = testo;
      campo.classList.toggle("is-invalid", testo !== "");
      campo.setAttribute("aria-invalid", testo ? "true" : "false");
      return testo === "";
    }

    campo.addEventListener("change", controlla);
    if (campo.form) {
      campo.form.addEventListener("submit", function (evento) {
        if (!controlla()) {
          evento.preventDefault();
          campo.focus();
        }
      });
    }
  });
})();
