// The dashboard: incidents per day by category and by severity, time to decision and to acknowledgement,
// and how often each library entry's incidents were false positives. Drawn by chart.js, served by the server
// itself (/lib/chart.umd.min.js), loaded the first time the view opens.
import { call } from './api.js';
import { $, option, span } from './dom.js';
import { severities, severityColour, severityLabel } from './severity.js';
import { isStaff, session } from './session.js';

// Distinct, colour-blind-friendlier hues for the 11 categories (severity has its own scale).
const palette = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0', '#1f3a5f'];
const charts = new Map();
let chartLibrary = null;
let ticket = 0;

export function initDashboard() {
  $('dashboard-filters').addEventListener('change', () => {
    const f = $('dashboard-filters').elements;
    const params = new URLSearchParams();
    for (const name of ['schoolId', 'from', 'to']) if (f[name].value) params.set(name, f[name].value);
    location.hash = '#/dashboard?' + params;
  });
}

function loadChartLibrary() {
  chartLibrary ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'lib/chart.umd.min.js';
    script.onload = () => resolve(window.Chart);
    script.onerror = () => { chartLibrary = null; reject(new Error('The chart library could not be loaded.')); };
    document.head.append(script);
  });
  return chartLibrary;
}

const day = (date) => date.toISOString().slice(0, 10);

export async function showDashboard(params) {
  const f = $('dashboard-filters').elements;
  if (f.schoolId.length !== session.schools.length + 1) {
    f.schoolId.length = 1;
    for (const s of session.schools) option(f.schoolId, s.id, s.name);
  }
  f.schoolId.closest('label').hidden = !isStaff();
  const to = params.get('to') ?? day(new Date());
  const from = params.get('from') ?? day(new Date(Date.now() - 29 * 86400000));
  f.schoolId.value = params.get('schoolId') ?? '';
  f.from.value = from;
  f.to.value = to;
  const query = new URLSearchParams({ from, to });
  if (params.get('schoolId')) query.set('schoolId', params.get('schoolId'));
  const mine = ++ticket;
  $('dashboard-error').textContent = '';
  try {
    const [Chart, view] = await Promise.all([loadChartLibrary(), call('/dashboard?' + query)]);
    if (mine !== ticket) return;
    figures(view);
    draw(Chart, view);
  } catch (e) {
    $('dashboard-error').textContent = e.message;
  }
}

function minutes(value) {
  if (value === null || value === undefined) return '—';
  if (value < 90) return `${Math.round(value)} min`;
  if (value < 48 * 60) return `${(value / 60).toFixed(1)} h`;
  return `${(value / 1440).toFixed(1)} days`;
}

function figures(v) {
  const figure = (value, text) => {
    const div = document.createElement('div');
    div.className = 'figure';
    div.append(span('value', value), span('label', text));
    return div;
  };
  $('dashboard-figures').replaceChildren(
    figure(String(v.incidents), 'incidents'),
    figure(String(v.decided), 'decided'),
    figure(minutes(v.medianMinutesToDecision), 'median time to decision'),
    figure(minutes(v.p90MinutesToDecision), '9 in 10 decided within'),
    figure(minutes(v.medianMinutesToAcknowledgement), 'median time to acknowledgement'));
}

function chart(Chart, id, config) {
  charts.get(id)?.destroy();
  const made = new Chart($(id), config);
  charts.set(id, made);
  return made;
}

function draw(Chart, v) {
  const days = v.days.map((d) => d.day.slice(5));
  const stacked = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
  };
  // Only the categories that happened: eleven empty legends would hide the few that matter.
  const categories = [...new Set(v.days.flatMap((d) => Object.keys(d.byCategory).filter((c) => d.byCategory[c] > 0)))].sort();
  chart(Chart, 'chart-category', {
    type: 'bar',
    data: {
      labels: days,
      datasets: categories.map((c, i) => ({
        label: c, data: v.days.map((d) => d.byCategory[c] ?? 0), backgroundColor: palette[i % palette.length],
      })),
    },
    options: stacked,
  });
  chart(Chart, 'chart-severity', {
    type: 'bar',
    data: {
      labels: days,
      datasets: severities.map((s) => ({
        label: severityLabel(s), data: v.days.map((d) => d.bySeverity[String(s)] ?? 0), backgroundColor: severityColour(s),
      })),
    },
    options: stacked,
  });
  const rates = v.falsePositives
    .filter((r) => r.decided > 0)
    .map((r) => ({ ...r, rate: (100 * r.falsePositives) / r.decided }))
    .sort((a, b) => b.rate - a.rate || b.decided - a.decided)
    .slice(0, 10);
  $('false-positives-empty').hidden = rates.length > 0;
  chart(Chart, 'chart-false-positives', {
    type: 'bar',
    data: {
      labels: rates.map((r) => r.ruleId),
      datasets: [{ label: 'false positives (% of decided)', data: rates.map((r) => r.rate), backgroundColor: '#9498a0' }],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { min: 0, max: 100, ticks: { callback: (value) => `${value}%` } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${rates[item.dataIndex].falsePositives} of ${rates[item.dataIndex].decided} decided (${Math.round(item.raw)}%)` } },
      },
    },
  });
}
