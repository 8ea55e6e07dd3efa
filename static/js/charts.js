// Draws the charts of a page with Chart.js (served from our static files). Each
// <canvas data-chart="ID"> reads its configuration from the <script type="application/json" id="ID">
// written by Django's json_script: no inline script, so the Content Security Policy holds.
// The same figures are in the table that follows each chart.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  const palette = ["#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];
  const lang = document.documentElement.lang || "fr";
  const reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function formatter(unit) {
    const number = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    if (unit === "€") {
      const money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR" });
      return (value) => money.format(value);
    }
    return (value) => number.format(value);
  }

  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const format = formatter(spec.unit);
    const stepped = spec.type === "stepped";
    const datasets = spec.datasets.map((set, i) => ({
      label: set.label,
      data: set.data.map((v) => (v === null ? null : Number(v))),
      backgroundColor: palette[i % palette.length],
      borderColor: palette[i % palette.length],
      stepped: stepped ? "before" : false,
      fill: false,
      spanGaps: true,
    }));
    new window.Chart(canvas, {
      type: stepped ? "line" : spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduced ? false : undefined,
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label} : ${format(ctx.parsed.y)}` } },
        },
        scales: {
          x: { stacked: spec.stacked },
          y: { stacked: spec.stacked, beginAtZero: spec.type === "bar", ticks: { callback: (v) => format(v) } },
        },
      },
    });
  });
})();
