// The desk's charts: every <script type="application/json" class="vl-spec"> block is a
// Vega-Lite spec with its data inline, drawn into the element its data-target names.
// Vega's expressions run in vega-interpreter (ast: true), never through new Function, so the
// page needs no 'unsafe-eval' (Content-Security-Policy: script-src 'self').
(function () {
  "use strict";

  function draw(block) {
    var target = document.getElementById(block.dataset.target);
    if (!target) return;
    var spec;
    try {
      spec = JSON.parse(block.textContent);
    } catch (err) {
      target.textContent = "تعذّر قراءة بيانات المخطط.";
      return;
    }
    window.vegaEmbed(target, spec, {
      actions: false,
      renderer: "svg",
      ast: true,
      expr: window.vega.expressionInterpreter,
    }).then(function () {
      target.dataset.drawn = "1";
    }).catch(function (err) {
      target.textContent = "تعذّر رسم المخطط: " + err;
    });
  }

  function init() {
    if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
      document.querySelectorAll(".chart").forEach(function (el) {
        el.textContent = "المخطط غير متاح؛ البيانات في الجدول أدناه.";
      });
      return;
    }
    document.querySelectorAll("script.vl-spec").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
