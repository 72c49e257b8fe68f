// Draws the report from the JSON in #report-data with Apache ECharts (inlined above).
// Text from the data (model names, series names) only ever reaches the page through textContent
// and ECharts' own text rendering, never as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var root = document.getElementById('models');
  var charts = [];
  var rendered = 0;
  var total = null; // known once every chart is set up; 'finished' may fire before that

  function markRendered() {
    if (total !== null && rendered >= total) { document.body.setAttribute('data-rendered', String(rendered)); }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function chart(parent, option, cls) {
    var box = el('div', 'chart' + (cls ? ' ' + cls : ''));
    parent.appendChild(box);
    var c = echarts.init(box, null, {renderer: 'canvas'});
    c.on('finished', function once() {
      c.off('finished', once);
      rendered++;
      markRendered();
    });
    option.animation = false;
    c.setOption(option);
    charts.push(c);
    return c;
  }

  function eventLines(events, x) {
    return {
      symbol: 'none', silent: false,
      label: {formatter: '{b}', position: 'insideEndTop'},
      lineStyle: {color: '#d14', type: 'dashed'},
      data: events.map(function (e) { return {name: e.name, xAxis: x === 'records' ? e.records : e.eventTime}; })
    };
  }

  // a loss that falls by orders of magnitude is read on a log axis; zero or negative values need a linear one
  function logScale(series) {
    var lo = Infinity, hi = 0;
    for (var i = 0; i < series.length; i++) {
      for (var j = 0; j < series[i].points.length; j++) {
        var v = series[i].points[j][2];
        if (v === null) { continue; }
        if (v <= 0) { return false; }
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return hi / lo > 100;
  }

  function lossChart(parent, m, x) {
    var series = m.series.map(function (s, i) {
      var out = {
        name: s.name, type: 'line', showSymbol: s.points.length < 60, connectNulls: false,
        data: s.points.map(function (p) { return [x === 'records' ? p[0] : p[1], p[2]]; })
      };
      if (i === 0 && m.events.length) { out.markLine = eventLines(m.events, x); }
      return out;
    });
    return chart(parent, {
      title: {text: 'loss over ' + (x === 'records' ? 'records' : 'event time'), left: 'center',
        textStyle: {fontSize: 13}},
      tooltip: {trigger: 'axis'},
      legend: {top: 22, data: m.series.map(function (s) { return s.name; })},
      grid: {left: 60, right: 24, top: 56, bottom: 40},
      xAxis: x === 'records' ? {type: 'value', name: 'records', nameLocation: 'middle', nameGap: 26, scale: true}
        : {type: 'time', name: 'event time', nameLocation: 'middle', nameGap: 26},
      yAxis: logScale(m.series) ? {type: 'log', name: 'loss (log)'} : {type: 'value', name: 'loss', scale: true},
      series: series
    });
  }

  function extent(values) {
    var a = 0;
    values.forEach(function (v) { if (isFinite(v)) { a = Math.max(a, Math.abs(v)); } });
    return a === 0 ? 1 : a;
  }

  var DIVERGING = ['#2c7bb6', '#abd9e9', '#f7f7f7', '#fdae61', '#d7191c'];

  function historyChart(parent, p) {
    var cells = [];
    var all = [];
    p.values.forEach(function (column, xi) {
      column.forEach(function (v, yi) { cells.push([xi, yi, v]); all.push(v); });
    });
    var a = extent(all);
    return chart(parent, {
      title: {text: p.name + ' ' + JSON.stringify(p.shape) + ' across versions', left: 'center',
        textStyle: {fontSize: 13}},
      tooltip: {formatter: function (q) {
        return 'version ' + p.versions[q.value[0]] + ', ' + p.elements[q.value[1]] + ': ' + q.value[2];
      }},
      grid: {left: 70, right: 80, top: 36, bottom: 46},
      xAxis: {type: 'category', name: 'version', nameLocation: 'middle', nameGap: 28,
        data: p.versions.map(String)},
      yAxis: {type: 'category', data: p.elements, inverse: true},
      visualMap: {min: -a, max: a, calculable: true, orient: 'vertical', right: 0, top: 'middle',
        itemHeight: 120, inRange: {color: DIVERGING}},
      series: [{type: 'heatmap', data: cells, progressive: 0}]
    });
  }

  function gridChart(parent, title, grid, a) {
    var cells = [];
    grid.forEach(function (row, r) { row.forEach(function (v, c) { cells.push([c, r, v]); }); });
    var cols = grid[0].map(function (_, c) { return String(c); });
    var rows = grid.map(function (_, r) { return String(r); });
    return chart(parent, {
      title: {text: title, left: 'center', textStyle: {fontSize: 13}},
      tooltip: {formatter: function (q) { return '[' + q.value[1] + ', ' + q.value[0] + ']: ' + q.value[2]; }},
      grid: {left: 40, right: 80, top: 36, bottom: 30},
      xAxis: {type: 'category', data: cols},
      yAxis: {type: 'category', data: rows, inverse: true},
      visualMap: {min: -a, max: a, calculable: true, orient: 'vertical', right: 0, top: 'middle',
        itemHeight: 120, inRange: {color: DIVERGING}},
      series: [{type: 'heatmap', data: cells, label: {show: cells.length <= 49, fontSize: 10,
        formatter: function (q) { return q.value[2].toPrecision(3); }}}]
    }, 'small');
  }

  data.models.forEach(function (m) {
    var section = el('section', 'model');
    section.appendChild(el('h2', null, m.model));
    section.appendChild(el('p', 'meta', m.meta));
    var losses = el('div', 'row');
    section.appendChild(losses);
    root.appendChild(section);
    lossChart(losses, m, 'records');
    lossChart(losses, m, 'time');
    var params = el('div', 'row');
    section.appendChild(params);
    m.parameters.forEach(function (p) { historyChart(params, p); });
    if (m.hidden) {
      var cmp = el('div', 'row');
      section.appendChild(cmp);
      var a = Math.max(extent([].concat.apply([], m.hidden.learned)), extent([].concat.apply([], m.hidden.filter)));
      gridChart(cmp, m.hidden.parameter + ' at version ' + m.hidden.version + ' (bias ' + m.hidden.learnedBias + ')',
        m.hidden.learned, a);
      gridChart(cmp, 'hidden filter of the generator (bias ' + m.hidden.bias + ')', m.hidden.filter, a);
    }
    m.notes.forEach(function (n) { section.appendChild(el('p', 'note', n)); });
  });
  total = charts.length;
  document.body.setAttribute('data-charts', String(total));
  markRendered();
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();
