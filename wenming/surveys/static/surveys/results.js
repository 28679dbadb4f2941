/* 问卷结果: draw each question's bar chart from its data-chart attribute (CSP forbids inline script); the table
   under it stays in the page for screen readers and as the no-JS view, and a button switches between the two. */
(function () {
  "use strict";
  function setup(figure) {
    var spec;
    try { spec = JSON.parse(figure.getAttribute("data-chart")); } catch (e) { return; }
    var canvas = figure.querySelector("[data-chart-canvas]");
    var table = figure.querySelector("[data-chart-table]");
    var toggle = figure.querySelector("[data-chart-toggle]");
    var label = figure.querySelector("[data-toggle-label]");
    if (!window.echarts || !canvas || !spec.labels || !spec.labels.length) { return; }
    canvas.hidden = false;
    table.hidden = true;
    var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
    chart.setOption({
      animation: false, color: ["#1f7a43"], aria: { enabled: true },
      tooltip: { renderMode: "richText", trigger: "axis" },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: spec.labels, axisLabel: { width: 150, overflow: "truncate" } },
      series: [{ type: "bar", name: spec.name, data: spec.values, barMaxWidth: 22, label: { show: true, position: "right" } }]
    });
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
