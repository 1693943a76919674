/* The rating component: show only the follow-up question that fits the stars chosen
   (4-5 positive, 1-3 negative). Without JavaScript both stay visible. */
(function () {
  "use strict";
  document.querySelectorAll(".valutazione-pagina").forEach(function (blocco) {
    var seguiti = blocco.querySelectorAll(".valutazione-seguito");
    blocco.querySelectorAll(".valutazione-quando").forEach(function (n) { n.hidden = true; });
    function aggiorna() {
      var scelto = blocco.querySelector("input[name=voto]:checked");
      var voto = scelto ? parseInt(scelto.value, 10) : 0;
      seguiti.forEach(function (f) {
        var da = parseInt(f.dataset.da || "1", 10);
        var finoA = parseInt(f.dataset.finoA || "5", 10);
        var adatto = voto >= da && voto <= finoA;
        f.hidden = !adatto;
        f.querySelectorAll("input").forEach(function (i) { if (!adatto) { i.checked = false; } });
      });
    }
    blocco.querySelectorAll("input[name=voto]").forEach(function (i) {
      i.addEventListener("change", aggiorna);
    });
    aggiorna();
  });
})();
