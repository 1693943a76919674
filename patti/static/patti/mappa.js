/* Map of the pacts: reads the places from the list (data-lat / data-lon), so the page
   works without JavaScript and the map adds nothing the list does not say. */
(function () {
  "use strict";
  var contenitore = document.getElementById("mappa-patti");
  if (!contenitore || typeof L === "undefined") { return; }
  var voci = document.querySelectorAll(".elenco-patti [data-lat]");
  if (!voci.length) { return; }
  contenitore.hidden = false;
  var mappa = L.map(contenitore, { scrollWheelZoom: false });
  L.tileLayer(contenitore.dataset.tiles, {
    maxZoom: 19,
    attribution: "&copy; OpenStreetMap"
  }).addTo(mappa);
  var punti = [];
  voci.forEach(function (voce) {
    var lat = parseFloat(voce.dataset.lat), lon = parseFloat(voce.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) { return; }
    var marcatore = L.marker([lat, lon], { title: voce.dataset.titolo, alt: voce.dataset.titolo }).addTo(mappa);
    if (voce.dataset.url) {
      var link = document.createElement("a");
      link.href = voce.dataset.url;
      link.textContent = voce.dataset.titolo;
      marcatore.bindPopup(link);
    }
    punti.push([lat, lon]);
  });
  if (punti.length === 1) { mappa.setView(punti[0], 15); } else { mappa.fitBounds(punti, { padding: [20, 20] }); }
})();
