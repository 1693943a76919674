/* The address search as the citizen types (its words come translated from the page): the Comune's street register
   (/indirizzi.json, on this machine), offered in a list under the field (the ARIA 1.2
   combobox pattern: arrows move, Enter chooses, Escape closes). Choosing fills the street,
   the point (the map follows: mappa_punto.js listens to the fields) and the quartiere.
   Without JavaScript the "Cerca l'indirizzo nello stradario" button does the same. */
(function () {
  "use strict";
  var box = document.querySelector(".cerca-indirizzo");
  if (!box || !window.fetch) { return; }
  var campo = document.getElementById(box.dataset.campoIndirizzo);
  var quartiere = document.getElementById(box.dataset.campoQuartiere);
  var lat = document.getElementById(box.dataset.campoLat);
  var lon = document.getElementById(box.dataset.campoLon);
  if (!campo) { return; }

  var elenco = document.createElement("ul");
  elenco.id = campo.id + "-proposte";
  elenco.className = "proposte-indirizzo list-unstyled";
  elenco.setAttribute("role", "listbox");
  elenco.setAttribute("aria-label", box.dataset.testoElenco);
  elenco.hidden = true;
  campo.parentNode.insertBefore(elenco, campo.nextSibling);
  var stato = document.createElement("div");
  stato.className = "visually-hidden";
  stato.setAttribute("role", "status");
  box.appendChild(stato);

  campo.setAttribute("role", "combobox");
  campo.setAttribute("aria-autocomplete", "list");
  campo.setAttribute("aria-expanded", "false");
  campo.setAttribute("aria-controls", elenco.id);
  campo.setAttribute("autocomplete", "off");

  var proposte = [], attiva = -1, attesa = null, ultima = "";

  function chiudi() {
    elenco.hidden = true;
    campo.setAttribute("aria-expanded", "false");
    campo.removeAttribute("aria-activedescendant");
    attiva = -1;
  }

  function evidenzia(indice) {
    var voci = elenco.querySelectorAll("[role=option]");
    voci.forEach(function (voce, i) { voce.setAttribute("aria-selected", i === indice ? "true" : "false"); });
    attiva = indice;
    if (indice >= 0) { campo.setAttribute("aria-activedescendant", voci[indice].id); }
    else { campo.removeAttribute("aria-activedescendant"); }
  }

  function imposta(elemento, valore) {
    if (!elemento) { return; }
    elemento.value = valore;
    elemento.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function scegli(indice) {
    var scelto = proposte[indice];
    if (!scelto) { return; }
    campo.value = scelto.etichetta;
    imposta(lat, String(scelto.lat));
    imposta(lon, String(scelto.lon));
    if (scelto.quartiere !== null) { imposta(quartiere, String(scelto.quartiere)); }
    chiudi();
    stato.textContent = box.dataset.testoScelto + " " + scelto.etichetta +
      (scelto.quartiere_nome ? ", " + box.dataset.testoQuartiere + " " + scelto.quartiere_nome : "") + ".";
  }

  function mostra(dati) {
    proposte = dati.indirizzi || [];
    elenco.textContent = "";
    proposte.forEach(function (p, i) {
      var voce = document.createElement("li");
      voce.id = elenco.id + "-" + i;
      voce.setAttribute("role", "option");
      voce.setAttribute("aria-selected", "false");
      voce.textContent = p.etichetta + (p.quartiere_nome ? " (" + p.quartiere_nome + ")" : "");
      // mousedown, not click: the field keeps the focus.
      voce.addEventListener("mousedown", function (evento) { evento.preventDefault(); scegli(i); });
      elenco.appendChild(voce);
    });
    var aperto = proposte.length > 0;
    elenco.hidden = !aperto;
    campo.setAttribute("aria-expanded", aperto ? "true" : "false");
    attiva = -1;
    stato.textContent = aperto ? proposte.length + " " + box.dataset.testoTrovati : "";
  }

  function cerca() {
    var testo = campo.value.trim();
    if (testo === ultima) { return; }
    ultima = testo;
    if (testo.length < 3) { proposte = []; chiudi(); return; }
    fetch(box.dataset.url + "?q=" + encodeURIComponent(testo), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { indirizzi: [] }; })
      .then(function (dati) { if (campo.value.trim() === testo) { mostra(dati); } })
      .catch(function () { chiudi(); });
  }

  campo.addEventListener("input", function () {
    clearTimeout(attesa);
    attesa = setTimeout(cerca, 250);
  });
  campo.addEventListener("keydown", function (evento) {
    if (elenco.hidden) { return; }
    if (evento.key === "ArrowDown") { evento.preventDefault(); evidenzia((attiva + 1) % proposte.length); }
    else if (evento.key === "ArrowUp") { evento.preventDefault(); evidenzia(attiva <= 0 ? proposte.length - 1 : attiva - 1); }
    else if (evento.key === "Enter" && attiva >= 0) { evento.preventDefault(); scegli(attiva); }
    else if (evento.key === "Escape") { evento.preventDefault(); chiudi(); }
  });
  campo.addEventListener("blur", chiudi);
})();
