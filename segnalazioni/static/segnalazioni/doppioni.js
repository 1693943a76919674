/* Desk form: while the operator types, show open reports that may be the same matter. */
(function () {
  "use strict";
  var riquadro = document.getElementById("doppioni-segnalazione");
  if (!riquadro) { return; }
  var nomi = ["categoria", "quartiere", "indirizzo", "lat", "lon", "oggetto"];
  var timer = null;

  function valore(nome) {
    var campo = document.getElementById("id_" + nome);
    return campo ? campo.value : "";
  }

  function aggiorna() {
    var parametri = new URLSearchParams();
    nomi.forEach(function (n) { parametri.set(n, valore(n)); });
    fetch(riquadro.dataset.url + "?" + parametri.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (dati) {
        riquadro.textContent = "";
        if (!dati.risultati.length) { return; }
        var box = document.createElement("div");
        box.className = "alert alert-warning";
        var titolo = document.createElement("p");
        titolo.textContent = "Possibili doppioni tra le segnalazioni aperte:";
        box.appendChild(titolo);
        var lista = document.createElement("ul");
        dati.risultati.forEach(function (s) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = s.url;
          a.target = "_blank";
          a.rel = "noopener";
          a.textContent = s.codice + " — " + s.oggetto;
          li.appendChild(a);
          li.appendChild(document.createTextNode(" (" + s.motivo + ", " + s.stato + ")"));
          lista.appendChild(li);
        });
        box.appendChild(lista);
        riquadro.appendChild(box);
      });
  }

  nomi.forEach(function (n) {
    var campo = document.getElementById("id_" + n);
    if (campo) {
      campo.addEventListener("change", function () {
        clearTimeout(timer);
        timer = setTimeout(aggiorna, 300);
      });
    }
  });
})();
