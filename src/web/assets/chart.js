// Draws the chart of a table page with Chart.js from the figures the server embedded;
// without JavaScript the same figures are in the table below the canvas.
(() => {
  var source = document.getElementById('chart-data');
  var canvas = document.getElementById('chart');
  if (!source || !canvas || typeof window.Chart === 'undefined') return;
  var data = JSON.parse(source.textContent || '{}');
  var palette = [
    '#1d4ed8',
    '#b91c1c',
    '#047857',
    '#a16207',
    '#7c3aed',
    '#0e7490',
    '#be185d',
    '#4d7c0f',
    '#c2410c',
    '#334155',
  ];
  var config;
  if (data.spec.kind === 'map') {
    config = {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: `${data.yLabel} / ${data.xLabel}`,
            data: data.points.map((p) => ({ x: p[0], y: p[1], name: p[2] })),
            backgroundColor: palette[0],
          },
        ],
      },
      options: {
        animation: false,
        scales: {
          x: { title: { display: true, text: data.xLabel } },
          y: { title: { display: true, text: data.yLabel } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (c) => `${(c.raw.name ? `${c.raw.name}: ` : '') + c.raw.y}, ${c.raw.x}`,
            },
          },
        },
      },
    };
  } else {
    const pie = data.spec.kind === 'pie';
    config = {
      type: data.spec.kind,
      data: {
        labels: data.labels,
        datasets: [
          {
            label: data.yLabel,
            data: data.values,
            backgroundColor: pie ? data.labels.map((_, i) => palette[i % palette.length]) : palette[0],
            borderColor: palette[0],
          },
        ],
      },
      options: {
        animation: false,
        scales: pie
          ? {}
          : {
              x: { title: { display: true, text: data.xLabel } },
              y: { beginAtZero: true, title: { display: true, text: data.yLabel } },
            },
      },
    };
  }
  // figures on the axes and in tooltips as the page's language writes them (18.848,1 / 18,848.1)
  config.options.locale = document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN';
  canvas.setAttribute('data-drawn', 'true');
  new window.Chart(canvas, config);
})();
