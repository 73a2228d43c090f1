/**
 * The report page's own script, inlined after the Vega runtime. It renders every chart
 * into its container as SVG and makes the leaderboard table sortable by clicking a column
 * header. It sets `data-state` on each chart container (`rendered` or `failed`) and on
 * <body> once all charts have settled, so a test can wait for it.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';

  function sortKey(row, column, numeric) {
    var cell = row.cells[column];
    var text = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
    return numeric ? Number(text) : text;
  }

  function compareKeys(a, b, numeric) {
    if (!numeric) return a.localeCompare(b, undefined, { numeric: true });
    if (a === b) return 0;
    return a < b ? -1 : 1;
  }

  function makeSortable(table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (header, column) {
      var button = header.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = header.getAttribute('aria-sort') !== 'ascending';
        var numeric = header.getAttribute('data-type') === 'number';
        headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        // Array.prototype.sort is stable, so rows with equal keys keep their previous order.
        rows.sort(function (a, b) {
          var order = compareKeys(sortKey(a, column, numeric), sortKey(b, column, numeric), numeric);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function renderChart(chart, datasets) {
    var container = document.getElementById(chart.id);
    try {
      var view = new vega.View(vega.parse(chart.spec), { renderer: 'svg', container: container, hover: true });
      chart.datasets.forEach(function (name) {
        // Vega adds fields to the rows it reads, so every chart gets its own copies.
        view.data(name, datasets[name].map(function (row) { return Object.assign({}, row); }));
      });
      return view.runAsync().then(function () {
        container.setAttribute('data-state', 'rendered');
      }, function (error) {
        fail(container, error);
      });
    } catch (error) {
      fail(container, error);
      return Promise.resolve();
    }
  }

  function fail(container, error) {
    container.setAttribute('data-state', 'failed');
    container.textContent = 'This chart failed to render: ' + (error && error.message ? error.message : String(error));
    console.error(error);
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), makeSortable);

  var charts = JSON.parse(document.getElementById('gansweep-charts').textContent);
  var datasets = JSON.parse(document.getElementById('gansweep-data').textContent);
  Promise.all(charts.map(function (chart) { return renderChart(chart, datasets); })).then(function () {
    var failed = document.querySelectorAll('.chart[data-state="failed"]').length;
    document.body.setAttribute('data-charts', failed === 0 ? 'rendered' : 'failed');
  });
})();
`;
