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

  function drawIn(root) {
    if (!window.vegaEmbed || !window.vega || !window.vega.expressionInterpreter) {
      root.querySelectorAll(".chart").forEach(function (el) {
        el.textContent = "المخطط غير متاح؛ البيانات في الجدول أدناه.";
      });
      return;
    }
    root.querySelectorAll("script.vl-spec").forEach(draw);
  }

  // The panels (charts, counts) come from their own request, so the results show at once.
  function loadPanels(box) {
    fetch(box.dataset.src, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.text();
    }).then(function (html) {
      box.innerHTML = html;
      var total = document.getElementById("panels-total");
      var slot = document.getElementById("total-slot");
      if (total && slot) {
        slot.innerHTML = total.innerHTML;
        total.remove();
      }
      box.removeAttribute("aria-busy");
      box.dataset.loaded = "1";
      drawIn(box);
    }).catch(function (err) {
      box.removeAttribute("aria-busy");
      var note = document.getElementById("panels-loading");
      if (note) note.insertBefore(document.createTextNode("تعذّر تحميل المخططات (" + err.message + "). "), note.firstChild);
    });
  }

  function init() {
    var box = document.getElementById("panels");
    if (box && box.dataset.src) {
      loadPanels(box);
    } else {
      drawIn(document);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
