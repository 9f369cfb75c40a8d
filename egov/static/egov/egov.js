/* Page behaviour for every page of egov, loaded by base.html (deferred).
 *
 * Pages carry no inline script or event handler (Content-Security-Policy, ADR 0031):
 * what they need is here, found through data attributes.
 */
(function () {
  "use strict";

  /* Charts (egov.core.charts.fragment): each .plotly-chart names the JSON block of its figure. */
  function drawCharts(root) {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    root.querySelectorAll(".plotly-chart:not([data-drawn])").forEach(function (chart) {
      var block = document.getElementById(chart.dataset.figure);
      if (!block) {
        return;
      }
      var figure = JSON.parse(block.textContent);
      chart.dataset.drawn = "true";
      window.Plotly.newPlot(chart, figure.data, figure.layout, figure.config);
    });
  }

  /* A <select data-autosubmit> submits its form when changed; the form keeps a
   * <noscript> button for browsers without script. */
  function submitOnChange(event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  }

  document.addEventListener("change", submitOnChange);
  document.addEventListener("htmx:afterSettle", function (event) {
    drawCharts(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawCharts(document);
    });
  } else {
    drawCharts(document);
  }
})();
