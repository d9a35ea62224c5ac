/* chiso — draws the charts and maps whose data the page embeds as
   <script type="application/json">. Every chart sits over a table that holds the same
   numbers, so without JavaScript (or if anything here fails) nothing is lost: the chart
   containers stay hidden and the tables remain. */
(function () {
  "use strict";

  var drawn = [];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var COLOURS = {
    actual: "#0b4f8a",
    path: "#1d6b2c",
    projection: "#b34700",
    band: "rgba(29, 107, 44, 0.12)",
    target: "#1d6b2c",
    grid: "#d5dae0"
  };
  var SYMBOLS = { final: "circle", preliminary: "diamond", estimate: "emptyCircle" };

  function fmt(value, decimals) {
    if (value === null || value === undefined || typeof value !== "number" || !isFinite(value)) {
      return "—";
    }
    return new Intl.NumberFormat("vi-VN", { maximumFractionDigits: decimals }).format(value);
  }

  function withUnit(text, unit) {
    if (!unit || text === "—") return text;
    return unit.charAt(0) === "%" ? text + unit : text + " " + unit;
  }

  function readData(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  function byStatus(d, status) {
    return d.actual.map(function (v, i) {
      return d.status[i] === status ? v : null;
    });
  }

  function targetOption(d) {
    var unit = d.unit || "";
    var series = [];
    var actual = {
      name: d.labels.actual,
      type: d.mode === "rate" ? "bar" : "line",
      data: d.actual,
      connectNulls: true,
      showSymbol: false,
      z: 3,
      itemStyle: { color: COLOURS.actual },
      lineStyle: { width: 3 },
      barMaxWidth: 28
    };
    var marks = [];
    if (d.target_line !== null && d.target_line !== undefined) {
      marks.push({
        yAxis: d.target_line,
        name: d.labels.target,
        label: { formatter: d.labels.target + ": " + withUnit(fmt(d.target_line, d.decimals), unit), position: "insideEndTop" }
      });
    }
    if (d.base_year) {
      marks.push({ xAxis: d.base_year, name: d.labels.base, label: { formatter: d.labels.base, position: "insideEndTop" } });
    }
    if (marks.length) {
      actual.markLine = {
        silent: true,
        symbol: "none",
        lineStyle: { color: COLOURS.target, type: "solid", width: 1.5 },
        data: marks
      };
    }
    if (d.band) {
      actual.markArea = {
        silent: true,
        itemStyle: { color: COLOURS.band },
        label: { show: true, position: "insideTopLeft", color: COLOURS.target },
        data: [[{ yAxis: d.band[0], name: d.labels.band + " " + fmt(d.band[0], d.decimals) + "–" + withUnit(fmt(d.band[1], d.decimals), unit) }, { yAxis: d.band[1] }]]
      };
    }
    series.push(actual);
    if (d.mode !== "rate") {
      ["final", "preliminary", "estimate"].forEach(function (status) {
        var data = byStatus(d, status);
        if (data.some(function (v) { return v !== null; })) {
          series.push({
            name: d.labels[status],
            type: "scatter",
            data: data,
            symbol: SYMBOLS[status],
            symbolSize: 10,
            z: 4,
            itemStyle: { color: COLOURS.actual, borderColor: COLOURS.actual, borderWidth: 2 }
          });
        }
      });
    } else {
      actual.data = d.actual.map(function (v, i) {
        if (v === null) return null;
        var estimate = d.status[i] !== "final";
        return {
          value: v,
          itemStyle: estimate
            ? { color: "#ffffff", borderColor: COLOURS.actual, borderWidth: 2, borderType: d.status[i] === "estimate" ? "dashed" : "solid" }
            : { color: COLOURS.actual }
        };
      });
    }
    if (d.path.some(function (v) { return v !== null; })) {
      series.push({
        name: d.labels.path,
        type: "line",
        data: d.path,
        connectNulls: true,
        symbol: "none",
        lineStyle: { type: "dashed", width: 2, color: COLOURS.path },
        itemStyle: { color: COLOURS.path }
      });
    }
    if (d.projection.some(function (v) { return v !== null; })) {
      series.push({
        name: d.labels.projection,
        type: "line",
        data: d.projection,
        connectNulls: true,
        symbol: "triangle",
        symbolSize: 8,
        lineStyle: { type: "dotted", width: 2.5, color: COLOURS.projection },
        itemStyle: { color: COLOURS.projection }
      });
    }
    return {
      animation: !reduceMotion,
      aria: { enabled: true, label: { description: d.description } },
      grid: { left: 8, right: 16, top: 36, bottom: 56, containLabel: true },
      legend: { bottom: 0, type: "scroll", textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (v) { return withUnit(fmt(v, d.decimals), unit); }
      },
      xAxis: { type: "category", data: d.years, boundaryGap: d.mode === "rate" },
      yAxis: {
        type: "value",
        name: unit,
        scale: d.mode !== "rate",
        inverse: d.mode === "rank",
        splitLine: { lineStyle: { color: COLOURS.grid } },
        axisLabel: { formatter: function (v) { return fmt(v, d.decimals); } }
      },
      series: series
    };
  }

  function mapOption(d) {
    var byCode = {};
    d.values.forEach(function (v) { byCode[v.name] = v; });
    return {
      animation: !reduceMotion,
      aria: { enabled: true, label: { description: "Bản đồ " + d.title + " theo xã, phường. Số liệu từng xã ở bảng bên dưới." } },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var v = byCode[p.name];
          var label = v ? v.label : p.name;
          var value = v && v.value !== null ? withUnit(fmt(v.value, d.decimals), d.unit) : d.labels.no_data;
          return label + ": " + value;
        }
      },
      visualMap: {
        min: d.min,
        max: d.max === d.min ? d.min + 1 : d.max,
        orient: "horizontal",
        left: "center",
        bottom: 4,
        calculable: false,
        text: [fmt(d.max, d.decimals), fmt(d.min, d.decimals)],
        inRange: { color: ["#dcebf8", "#6ea6d6", "#0b4f8a", "#062b4d"] },
        formatter: function (v) { return fmt(v, d.decimals); }
      },
      series: [{
        type: "map",
        map: d.map,
        nameProperty: d.name_property,
        roam: false,
        selectedMode: false,
        top: 8,
        bottom: 48,
        left: 8,
        right: 8,
        label: { show: false },
        itemStyle: { areaColor: "#eeeeee", borderColor: "#ffffff", borderWidth: 0.8 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffbf47" } },
        data: d.values.map(function (v) {
          return { name: v.name, value: v.value === null ? NaN : v.value };
        })
      }]
    };
  }

  function show(el, option) {
    el.hidden = false;
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    drawn.push(chart);
    return chart;
  }

  function draw(el) {
    if (el.getAttribute("data-drawn")) return;
    el.setAttribute("data-drawn", "1");
    var d = readData(el.getAttribute("data-chart"));
    if (!d) return;
    if (d.type === "target") {
      show(el, targetOption(d));
    } else if (d.type === "map") {
      fetch(d.geojson_url, { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(function (geo) {
          window.echarts.registerMap(d.map, geo);
          var chart = show(el, mapOption(d));
          chart.on("click", function (p) {
            if (p.name) window.location.href = "/xa-phuong/" + encodeURIComponent(p.name);
          });
        })
        .catch(function () { el.hidden = true; });
    }
  }

  function init(root) {
    if (!window.echarts) return;
    Array.prototype.forEach.call(root.querySelectorAll("[data-chart]"), draw);
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      drawn.forEach(function (c) { c.resize(); });
    }, 150);
  });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
