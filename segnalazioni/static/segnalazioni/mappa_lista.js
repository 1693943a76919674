/* The map of the filtered reports: points come from the GeoJSON export of the same filters. */
(function () {
  "use strict";
  var contenitore = document.getElementById("mappa-segnalazioni");
  if (!contenitore || typeof L === "undefined") { return; }
  var conteggio = document.getElementById("mappa-conteggio");
  var mappa = L.map(contenitore).setView(
    [parseFloat(contenitore.dataset.lat), parseFloat(contenitore.dataset.lon)],
    parseInt(contenitore.dataset.zoom, 10) || 12
  );
  L.tileLayer(contenitore.dataset.tiles, {
    maxZoom: 19,
    attribution: "&copy; " + contenitore.dataset.attribution
  }).addTo(mappa);

  function testo(t) { return document.createTextNode(t == null ? "" : String(t)); }

  fetch(contenitore.dataset.dati, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (dati) {
      var livello = L.geoJSON(dati, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {
            radius: 7,
            className: "punto-" + f.properties.stato + (f.properties.oltre_il_termine ? " punto-scaduto" : "")
          });
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          var div = document.createElement("div");
          // Staff points link to the report; public ones (elenco pubblico) have no link.
          var titolo = document.createElement(p.url ? "a" : "strong");
          if (p.url) { titolo.href = p.url; }
          titolo.appendChild(testo(p.oggetto));
          div.appendChild(titolo);
          div.appendChild(document.createElement("br"));
          div.appendChild(testo(p.categoria_nome + " · " + p.stato_etichetta + (p.via ? " · " + p.via : "")));
          layer.bindPopup(div);
        }
      }).addTo(mappa);
      var n = dati.features.length;
      if (conteggio) { conteggio.textContent = n + " " + (n === 1 ? "punto sulla mappa" : "punti sulla mappa"); }
      if (n) { mappa.fitBounds(livello.getBounds(), { maxZoom: 16, padding: [20, 20] }); }
    });
})();
