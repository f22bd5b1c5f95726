// MEİS statistics charts: each <figure data-chart> carries its data as JSON; Chart.js (loaded
// before this module, from chart.umd.min.js) draws it. The table beside each chart is the
// accessible form of the same figures, so the canvas is only a picture of it (role="img").
const COLOURS = ["#005a8c", "#00703c", "#5b2a86", "#c4262e", "#0c2d48", "#4b5563"];

function draw(figure) {
  const source = figure.querySelector("script[type='application/json']");
  const canvas = figure.querySelector("canvas");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const many = data.series.length > 1;
  new window.Chart(canvas, {
    type: data.type,
    data: {
      labels: data.labels,
      datasets: data.series.map((series, index) => ({
        label: series.name,
        data: series.values,
        backgroundColor: COLOURS[index % COLOURS.length],
        borderColor: COLOURS[index % COLOURS.length],
        borderWidth: data.type === "line" ? 2 : 0,
        pointRadius: data.type === "line" && data.labels.length > 60 ? 0 : 3,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: data.horizontal ? "y" : "x",
      plugins: { legend: { display: many } },
      scales: { y: { beginAtZero: true }, x: { beginAtZero: true } },
      locale: document.documentElement.lang || "az",
    },
  });
}

document.querySelectorAll("figure[data-chart]").forEach(draw);
