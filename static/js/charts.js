// Statistics dashboards (gongkai/reports): draws each chart from the JSON block the page
// carries (<script type="application/json" id="chart-data">) into its <div data-chart="key">.
// CSP allows 'self' scripts only, so no data is inlined as code. Every chart also has a table
// view and a CSV download on the page, so nothing depends on this script.
(function () {
  "use strict";
  var block = document.getElementById("chart-data");
  if (!block || typeof window.echarts === "undefined") return;
  var charts = JSON.parse(block.textContent);
  var drawn = [];
  charts.forEach(function (c) {
    var el = document.querySelector('[data-chart="' + c.key + '"]');
    if (!el) return;
    el.style.height = "320px"; // CSSOM, allowed by the CSP (no style attribute in markup)
    el.style.width = "100%";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    var option;
    if (c.kind === "pie") {
      option = {
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{
          name: c.series[0].name, type: "pie", radius: "60%",
          data: c.categories.map(function (name, i) {
            return { name: name, value: c.series[0].data[i] };
          })
        }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 48, right: 16, top: 36, bottom: 56, containLabel: true },
        xAxis: { type: "category", data: c.categories, axisLabel: { interval: 0, rotate: c.categories.length > 12 ? 30 : 0 } },
        yAxis: { type: "value", name: c.unit, minInterval: 1 },
        series: c.series.map(function (s) {
          return { name: s.name, type: c.kind === "line" ? "line" : "bar", data: s.data };
        })
      };
    }
    chart.setOption(option);
    el.setAttribute("data-drawn", "true");
    drawn.push(chart);
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
})();
