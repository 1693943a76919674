/*
 * Attendance at a meeting, without a page reload per person.
 *
 * A combobox (WAI-ARIA 1.2 pattern) searches the registry through the core's JSON
 * endpoints; Enter or a click records the chosen person or organisation by posting
 * to the lab's endpoint, which answers with the rendered row and the new totals.
 * Every outcome is written to the #esito live region. Without this file the page
 * still works: the search form lists matches server-side and every button posts.
 */
(function () {
  "use strict";

  var radice = document.getElementById("registro-presenze");
  if (!radice || !window.fetch) { return; }
  var dati = radice.dataset;
  var esito = document.getElementById("esito");
  var elenco = document.getElementById("elenco-presenze");
  var nessuna = document.getElementById("nessuna-presenza");
  var organizzazioneScelta = null; // {id, etichetta} while "per conto di" is set

  function csrf() {
    var campo = document.querySelector("input[name=csrfmiddlewaretoken]");
    return campo ? campo.value : "";
  }

  function annuncia(testo, errore) {
    // Clear first so that the same message twice is announced twice.
    esito.textContent = "";
    esito.classList.toggle("errore", !!errore);
    window.setTimeout(function () { esito.textContent = testo; }, 50);
  }

  function aggiornaTotali(risposta) {
    if (typeof risposta.totale === "number") {
      document.getElementById("n-totale").textContent = risposta.totale;
      document.getElementById("n-persone").textContent = risposta.persone;
      nessuna.hidden = risposta.totale > 0;
    }
  }

  function personePresenti() {
    var ids = {};
    elenco.querySelectorAll("li[data-persona]").forEach(function (li) {
      if (li.dataset.persona) { ids[li.dataset.persona] = true; }
    });
    return ids;
  }

  function posta(url, corpo) {
    return fetch(url, {
      method: "POST",
      body: corpo,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, messaggio: dati.testoErroreRete }; });
    });
  }

  function registra(persona, organizzazione) {
    var corpo = new FormData();
    if (persona) { corpo.append("persona", persona); }
    if (organizzazione) { corpo.append("organizzazione", organizzazione); }
    return posta(dati.urlAggiungi, corpo).then(function (r) {
      aggiornaTotali(r);
      if (r.ok && r.html) {
        elenco.insertAdjacentHTML("afterbegin", r.html);
      }
      annuncia(r.ok ? r.messaggio + " " + r.annuncio : r.messaggio, !r.ok);
      return r;
    }, function () {
      annuncia(dati.testoErroreRete, true);
      return { ok: false };
    });
  }

  // --- Removing a row --------------------------------------------------------------------
  elenco.addEventListener("submit", function (evento) {
    var form = evento.target.closest("form.form-rimuovi");
    if (!form) { return; }
    evento.preventDefault();
    var riga = form.closest("li");
    posta(form.action, new FormData(form)).then(function (r) {
      aggiornaTotali(r);
      if (r.ok) {
        var prossimo = riga.nextElementSibling || riga.previousElementSibling;
        riga.remove();
        var focus = prossimo ? prossimo.querySelector("button") : document.getElementById("cerca-registro");
        if (focus) { focus.focus(); }
        annuncia(r.messaggio + " " + r.annuncio, false);
      } else {
        annuncia(r.messaggio, true);
      }
    }, function () { annuncia(dati.testoErroreRete, true); });
  });

  // --- A small accessible combobox --------------------------------------------------------
  function combobox(input, lista, cerca, scegli) {
    var voci = [];
    var attiva = -1;
    var richiesta = 0;
    var timer = null;

    function chiudi() {
      lista.hidden = true;
      lista.innerHTML = "";
      voci = [];
      attiva = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function evidenzia(indice) {
      var opzioni = lista.querySelectorAll("[role=option]");
      opzioni.forEach(function (o, i) { o.setAttribute("aria-selected", i === indice ? "true" : "false"); });
      attiva = indice;
      if (indice >= 0 && opzioni[indice]) {
        input.setAttribute("aria-activedescendant", opzioni[indice].id);
        opzioni[indice].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function mostra(risultati) {
      lista.innerHTML = "";
      voci = risultati;
      if (!risultati.length) {
        var vuoto = document.createElement("li");
        vuoto.className = "suggerimento vuoto";
        vuoto.textContent = dati.testoNessunRisultato;
        lista.appendChild(vuoto);
      }
      risultati.forEach(function (voce, i) {
        var li = document.createElement("li");
        li.id = lista.id + "-" + i;
        li.className = "suggerimento" + (voce.disabilitata ? " disabilitata" : "");
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        if (voce.disabilitata) { li.setAttribute("aria-disabled", "true"); }
        var nome = document.createElement("span");
        nome.className = "nome";
        nome.textContent = voce.etichetta;
        li.appendChild(nome);
        var dettaglio = document.createElement("span");
        dettaglio.className = "dettaglio";
        dettaglio.textContent = " · " + voce.dettaglio;
        li.appendChild(dettaglio);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { conferma(i); });
        lista.appendChild(li);
      });
      lista.hidden = false;
      input.setAttribute("aria-expanded", "true");
      evidenzia(risultati.length ? 0 : -1);
      if (risultati.length) {
        annuncia(risultati.length + " " + dati.testoRisultati, false);
      }
    }

    function conferma(indice) {
      var voce = voci[indice];
      if (!voce || voce.disabilitata) { return; }
      chiudi();
      scegli(voce, input);
    }

    input.addEventListener("input", function () {
      var testo = input.value.trim();
      window.clearTimeout(timer);
      if (testo.length < 2) { chiudi(); return; }
      timer = window.setTimeout(function () {
        var numero = ++richiesta;
        cerca(testo).then(function (risultati) {
          if (numero === richiesta && input.value.trim() === testo) { mostra(risultati); }
        }, function () { annuncia(dati.testoErroreRete, true); });
      }, 150);
    });

    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && voci.length) {
        e.preventDefault();
        evidenzia((attiva + 1) % voci.length);
      } else if (e.key === "ArrowUp" && voci.length) {
        e.preventDefault();
        evidenzia((attiva - 1 + voci.length) % voci.length);
      } else if (e.key === "Enter") {
        // Enter never submits the no-JS search form once the script runs.
        e.preventDefault();
        if (attiva >= 0) { conferma(attiva); }
      } else if (e.key === "Escape") {
        if (!lista.hidden) { e.preventDefault(); chiudi(); }
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(chiudi, 150); });
  }

  function json(url, parametri) {
    var q = new URLSearchParams(parametri).toString();
    return fetch(url + "?" + q, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  // --- Main search: persons and organisations ---------------------------------------------
  var campoCerca = document.getElementById("cerca-registro");
  var formCerca = document.getElementById("form-cerca");
  document.getElementById("bottone-cerca").hidden = true;
  var vecchiRisultati = document.getElementById("risultati-server");
  if (vecchiRisultati) { vecchiRisultati.remove(); }
  formCerca.addEventListener("submit", function (e) { e.preventDefault(); });

  combobox(
    campoCerca,
    document.getElementById("suggerimenti"),
    function (testo) {
      return Promise.all([
        json(dati.urlPersone, { q: testo }),
        json(dati.urlOrganizzazioni, { q: testo })
      ]).then(function (risposte) {
        var presenti = personePresenti();
        var persone = risposte[0].risultati.map(function (p) {
          var gia = !!presenti[String(p.id)];
          return {
            tipo: "persona",
            id: p.id,
            etichetta: p.etichetta,
            dettaglio: [dati.testoPersona, p.quartiere, gia ? dati.testoGiaPresente : ""]
              .filter(Boolean).join(" · "),
            disabilitata: gia
          };
        });
        var organizzazioni = risposte[1].risultati.map(function (o) {
          return {
            tipo: "organizzazione",
            id: o.id,
            etichetta: o.etichetta,
            dettaglio: [dati.testoOrganizzazione, o.tipo, o.quartiere].filter(Boolean).join(" · ")
          };
        });
        return persone.concat(organizzazioni);
      });
    },
    function (voce, input) {
      var persona = voce.tipo === "persona" ? voce.id : null;
      var organizzazione = voce.tipo === "organizzazione" ? voce.id
        : (organizzazioneScelta ? organizzazioneScelta.id : null);
      registra(persona, organizzazione).then(function (r) {
        if (r.ok) { input.value = ""; }
        input.focus();
      });
    }
  );

  // --- "On behalf of" an organisation -----------------------------------------------------
  var rappresenta = document.getElementById("rappresenta");
  var campoOrg = document.getElementById("cerca-organizzazione");
  var etichettaOrg = document.getElementById("organizzazione-scelta");
  var campoOrgNuova = document.querySelector("#form-nuova-persona input[name=organizzazione]");
  rappresenta.hidden = false;

  function impostaOrganizzazione(voce) {
    organizzazioneScelta = voce;
    if (campoOrgNuova) { campoOrgNuova.value = voce ? voce.id : ""; }
    etichettaOrg.innerHTML = "";
    etichettaOrg.hidden = !voce;
    campoOrg.parentElement.hidden = !!voce;
    if (!voce) { campoOrg.focus(); return; }
    var testo = document.createElement("span");
    testo.textContent = dati.testoPerConto + ": " + voce.etichetta + " ";
    var togli = document.createElement("button");
    togli.type = "button";
    togli.className = "btn btn-link btn-sm";
    togli.textContent = dati.testoTogli;
    var nascosto = document.createElement("span");
    nascosto.className = "visually-hidden";
    nascosto.textContent = " " + voce.etichetta;
    togli.appendChild(nascosto);
    togli.addEventListener("click", function () {
      impostaOrganizzazione(null);
      annuncia(dati.testoPerConto + ": —", false);
    });
    etichettaOrg.appendChild(testo);
    etichettaOrg.appendChild(togli);
    annuncia(dati.testoPerConto + ": " + voce.etichetta, false);
    campoCerca.focus();
  }

  combobox(
    campoOrg,
    document.getElementById("suggerimenti-organizzazione"),
    function (testo) {
      return json(dati.urlOrganizzazioni, { q: testo }).then(function (r) {
        return r.risultati.map(function (o) {
          return { id: o.id, etichetta: o.etichetta, dettaglio: [o.tipo, o.quartiere].filter(Boolean).join(" · ") };
        });
      });
    },
    function (voce, input) {
      input.value = "";
      impostaOrganizzazione(voce);
    }
  );

  // --- Inline creation of a new person, with the registry's duplicate warning ------------
  var formNuova = document.getElementById("form-nuova-persona");
  if (!formNuova) { return; }
  var boxDoppioni = document.getElementById("doppioni");
  var elencoDoppioni = document.getElementById("elenco-doppioni");
  var conferma = document.getElementById("conferma-doppione");
  var ultimoControllo = "";
  var controlli = 0; // only the latest duplicate check may update the warning

  function mostraDoppioni(persone) {
    elencoDoppioni.innerHTML = "";
    persone.forEach(function (p) {
      var li = document.createElement("li");
      li.appendChild(document.createTextNode(p.etichetta + (p.quartiere ? " · " + p.quartiere : "") + " "));
      var usa = document.createElement("button");
      usa.type = "button";
      usa.className = "btn btn-link btn-sm usa-doppione";
      usa.textContent = dati.testoUsa;
      var nascosto = document.createElement("span");
      nascosto.className = "visually-hidden";
      nascosto.textContent = " " + p.etichetta;
      usa.appendChild(nascosto);
      usa.addEventListener("click", function () {
        registra(p.id, organizzazioneScelta ? organizzazioneScelta.id : null).then(function (r) {
          if (r.ok) { svuota(); campoCerca.focus(); }
        });
      });
      li.appendChild(usa);
      elencoDoppioni.appendChild(li);
    });
    boxDoppioni.hidden = persone.length === 0;
    conferma.hidden = persone.length === 0;
    if (persone.length) { annuncia(dati.testoDoppioni, false); }
  }

  function svuota() {
    formNuova.reset();
    formNuova.querySelectorAll(".is-invalid").forEach(function (c) { c.classList.remove("is-invalid"); });
    formNuova.querySelectorAll(".errore-js").forEach(function (e) { e.remove(); });
    controlli++;
    mostraDoppioni([]);
    if (campoOrgNuova && organizzazioneScelta) { campoOrgNuova.value = organizzazioneScelta.id; }
    ultimoControllo = "";
  }

  function campo(nome) {
    var c = formNuova.elements.namedItem(nome);
    return c ? c.value.trim() : "";
  }

  function controllaDoppioni() {
    var parametri = {
      nome: campo("nome"), cognome: campo("cognome"),
      email: campo("email"), telefono: campo("telefono")
    };
    if (!parametri.nome || !parametri.cognome) { return; }
    var chiave = JSON.stringify(parametri);
    if (chiave === ultimoControllo) { return; }
    ultimoControllo = chiave;
    var numero = ++controlli;
    json(dati.urlDoppioni, parametri).then(function (r) {
      if (numero === controlli) { mostraDoppioni(r.risultati); }
    }, function () { /* the server checks again on submit */ });
  }

  ["nome", "cognome", "email", "telefono"].forEach(function (nome) {
    var c = formNuova.elements.namedItem(nome);
    if (c) { c.addEventListener("change", controllaDoppioni); }
  });

  formNuova.addEventListener("submit", function (evento) {
    evento.preventDefault();
    formNuova.querySelectorAll(".errore-js").forEach(function (e) { e.remove(); });
    formNuova.querySelectorAll(".is-invalid").forEach(function (c) {
      c.classList.remove("is-invalid");
      c.removeAttribute("aria-invalid");
    });
    posta(formNuova.action, new FormData(formNuova)).then(function (r) {
      if (r.ok) {
        aggiornaTotali(r);
        if (r.html) { elenco.insertAdjacentHTML("afterbegin", r.html); }
        svuota();
        annuncia(r.messaggio + " " + r.annuncio, false);
        campoCerca.focus();
        return;
      }
      if (r.doppioni) {
        mostraDoppioni(r.doppioni);
        annuncia(r.messaggio, true);
        return;
      }
      var primo = null;
      Object.keys(r.errori || {}).forEach(function (nome) {
        var c = formNuova.elements.namedItem(nome);
        if (!c || !c.id) { return; }
        var testo = document.createElement("div");
        testo.className = "invalid-feedback d-block errore-js";
        testo.id = c.id + "-errore";
        testo.textContent = r.errori[nome].join(" ");
        c.classList.add("is-invalid");
        c.setAttribute("aria-invalid", "true");
        c.setAttribute("aria-describedby", testo.id);
        c.insertAdjacentElement("afterend", testo);
        primo = primo || c;
      });
      annuncia(r.messaggio, true);
      if (primo) { primo.focus(); }
    }, function () { annuncia(dati.testoErroreRete, true); });
  });
})();
