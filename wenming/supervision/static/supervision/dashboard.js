/* 领导驾驶舱: draw each chart from its data-chart attribute (CSP forbids inline script); the table under each
   chart stays in the page for screen readers and as the no-JS view, and a button switches between the two. */
(function () {
  "use strict";
  var PALETTE = ["#1f7a43", "#c9d3de", "#b4232a", "#e0a800", "#1d5fa8"];

  function option(spec) {
    var base = { animation: false, tooltip: { renderMode: "richText", trigger: spec.kind === "pie" ? "item" : "axis" },
      color: spec.colors || PALETTE, aria: { enabled: true } };
    if (spec.kind === "pie") {
      base.legend = { bottom: 0 };
      base.series = [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}: {c}" },
        data: spec.labels.map(function (label, i) { return { name: label, value: spec.series[0].values[i] }; }) }];
      return base;
    }
    var horizontal = spec.kind === "hbar";
    var category = { type: "category", data: spec.labels, axisLabel: { interval: 0, width: 140, overflow: "truncate" } };
    if (horizontal) { category.inverse = true; }
    base.legend = { top: 0 };
    base.grid = { left: 8, right: 16, top: 32, bottom: 8, containLabel: true };
    base.xAxis = horizontal ? { type: "value", minInterval: 1 } : category;
    base.yAxis = horizontal ? category : { type: "value", minInterval: 1 };
    base.series = spec.series.map(function (s) { return { type: "bar", stack: "total", name: s.name, data: s.values, barMaxWidth: 28 }; });
    return base;
  }

  function setup(figure) {
    var spec;
    try { spec = JSON.parse(figure.getAttribute("data-chart")); } catch (e) { return; }
    var canvas = figure.querySelector("[data-chart-canvas]");
    var table = figure.querySelector("[data-chart-table]");
    var toggle = figure.querySelector("[data-chart-toggle]");
    var label = figure.querySelector("[data-toggle-label]");
    if (!window.echarts || !canvas || !spec.labels || !spec.labels.length) { return; }
    if (spec.kind === "hbar") { canvas.classList.add("sv-rows-" + Math.min(spec.labels.length, 30)); }
    canvas.hidden = false;
    table.hidden = true;
    var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    window.addEventListener("resize", function () { chart.resize(); });
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var showTable = table.hidden;
      table.hidden = !showTable;
      canvas.hidden = showTable;
      toggle.setAttribute("aria-pressed", showTable ? "true" : "false");
      label.textContent = showTable ? label.getAttribute("data-label-chart") : label.getAttribute("data-label-table");
      if (!showTable) { chart.resize(); }
    });
  }

  function init() { document.querySelectorAll("[data-chart]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
