/* Choose a point on a Leaflet map; it fills the latitude/longitude fields, which keep
   working by hand (and without JavaScript). */
(function () {
  "use strict";
  var contenitore = document.getElementById("mappa-scelta");
  if (!contenitore || typeof L === "undefined") { return; }
  // The fields' ids carry the form's prefix in the step-by-step form ("id_dati-lat").
  var campoLat = document.getElementById(contenitore.dataset.campoLat || "id_lat");
  var campoLon = document.getElementById(contenitore.dataset.campoLon || "id_lon");
  var istruzioni = document.getElementById("mappa-istruzioni");
  var togli = document.getElementById("mappa-togli");
  contenitore.classList.remove("d-none");
  if (istruzioni) { istruzioni.classList.remove("d-none"); }
  if (togli) { togli.parentNode.classList.remove("d-none"); }

  var centro = [parseFloat(contenitore.dataset.lat), parseFloat(contenitore.dataset.lon)];
  var mappa = L.map(contenitore, { keyboard: true }).setView(centro, parseInt(contenitore.dataset.zoom, 10) || 12);
  L.tileLayer(contenitore.dataset.tiles, {
    maxZoom: 19,
    attribution: "&copy; " + contenitore.dataset.attribution
  }).addTo(mappa);
  var segnaposto = null;

  function mostra(lat, lon, centra) {
    if (segnaposto) { segnaposto.setLatLng([lat, lon]); }
    else { segnaposto = L.marker([lat, lon], { keyboard: false }).addTo(mappa); }
    if (centra) { mappa.setView([lat, lon], Math.max(mappa.getZoom(), 16)); }
  }

  function daiCampi() {
    var lat = parseFloat(campoLat.value), lon = parseFloat(campoLon.value);
    if (isFinite(lat) && isFinite(lon)) { mostra(lat, lon, true); }
  }

  mappa.on("click", function (evento) {
    var lat = evento.latlng.lat.toFixed(6), lon = evento.latlng.lng.toFixed(6);
    campoLat.value = lat;
    campoLon.value = lon;
    mostra(lat, lon, false);
    campoLat.dispatchEvent(new Event("change", { bubbles: true }));
  });
  campoLat.addEventListener("change", daiCampi);
  campoLon.addEventListener("change", daiCampi);
  if (togli) {
    togli.addEventListener("click", function () {
      campoLat.value = "";
      campoLon.value = "";
      if (segnaposto) { mappa.removeLayer(segnaposto); segnaposto = null; }
    });
  }
  daiCampi();
})();
