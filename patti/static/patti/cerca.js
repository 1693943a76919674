/* Type-ahead for the signatory form: search the registry and fill in the card number.
   Without JavaScript the number can be typed in directly. */
(function () {
  "use strict";
  document.querySelectorAll(".cerca-scheda").forEach(function (blocco) {
    var campo = document.getElementById(blocco.dataset.campo);
    var input = blocco.querySelector("input[type=search]");
    var esiti = blocco.querySelector(".esiti-cerca");
    if (!campo || !input || !esiti) { return; }
    blocco.hidden = false;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var testo = input.value.trim();
      if (testo.length < 2) { esiti.replaceChildren(); return; }
      timer = setTimeout(function () {
        fetch(blocco.dataset.url + "?q=" + encodeURIComponent(testo), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (dati) {
            esiti.replaceChildren();
            dati.risultati.forEach(function (r) {
              var li = document.createElement("li");
              li.className = "list-group-item";
              var bottone = document.createElement("button");
              bottone.type = "button";
              bottone.className = "btn btn-link p-0";
              bottone.textContent = r.etichetta + (r.quartiere ? " — " + r.quartiere : "");
              bottone.addEventListener("click", function () {
                campo.value = r.id;
                input.value = r.etichetta;
                esiti.replaceChildren();
                campo.focus();
              });
              li.appendChild(bottone);
              esiti.appendChild(li);
            });
          });
      }, 250);
    });
  });
})();
