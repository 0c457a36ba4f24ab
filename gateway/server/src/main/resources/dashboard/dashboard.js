// Modelgate dashboard: renders frames from /dashboard/events (server-sent events). No libraries.
'use strict';
const COLORS = ['#3ecf8e', '#f5a623', '#8ab4f8', '#ff79c6', '#bd93f9', '#50fa7b', '#ffb86c'];
const HISTORY = 300; // seconds of history kept per chart
const history = {};  // service -> {times:[], split:{rev:[]}, rps:{rev:[]}, p99:{rev:[]}}
const colorOf = {};

function color(service, revision) {
  const key = service + '/' + revision;
  if (!(key in colorOf)) {
    const used = Object.keys(colorOf).filter(k => k.startsWith(service + '/')).length;
    colorOf[key] = COLORS[used % COLORS.length];
  }
  return colorOf[key];
}

function fmtMs(seconds) {
  if (seconds === undefined || seconds === null || isNaN(seconds)) return '–';
  const ms = seconds * 1000;
  return ms < 10 ? ms.toFixed(2) + ' ms' : ms < 1000 ? ms.toFixed(1) + ' ms' : (ms / 1000).toFixed(2) + ' s';
}
function fmtPct(ratio) { return ratio === undefined ? '–' : (ratio * 100).toFixed(ratio < 0.1 && ratio > 0 ? 2 : 1) + '%'; }
function esc(s) { return String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c])); }

function remember(service) {
  const h = history[service.name] || (history[service.name] = {times: [], split: {}, rps: {}, p99: {}, replicas: {}});
  h.times.push(Date.now());
  for (const r of service.revisions) {
    for (const [series, value] of [['split', r.effective], ['rps', r.rps || 0], ['p99', r.p99 === undefined ? null : r.p99 * 1000], ['replicas', r.replicasReady === undefined ? null : r.replicasReady]]) {
      const arr = h[series][r.name] || (h[series][r.name] = new Array(h.times.length - 1).fill(null));
      arr.push(value);
    }
  }
  for (const series of ['split', 'rps', 'p99', 'replicas']) {
    for (const name of Object.keys(h[series])) {
      const arr = h[series][name];
      while (arr.length < h.times.length) arr.push(null);
      while (arr.length > HISTORY) arr.shift();
    }
  }
  while (h.times.length > HISTORY) h.times.shift();
  return h;
}

function drawChart(canvas, service, seriesByRevision, opts) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, hgt = canvas.clientHeight;
  canvas.width = w * dpr; canvas.height = hgt * dpr;
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, hgt);
  const names = Object.keys(seriesByRevision);
  let max = opts.max || 0;
  if (!opts.max) for (const n of names) for (const v of seriesByRevision[n]) if (v !== null && v > max) max = v;
  if (max <= 0) max = 1;
  const pad = 26, n = HISTORY;
  g.strokeStyle = '#263040'; g.fillStyle = '#7b8794'; g.font = '10px system-ui'; g.lineWidth = 1;
  for (let i = 0; i <= 2; i++) {
    const y = 4 + (hgt - 14) * i / 2;
    g.beginPath(); g.moveTo(pad, y); g.lineTo(w, y); g.stroke();
    g.fillText(opts.label(max * (1 - i / 2)), 0, y + 3);
  }
  if (opts.stacked) {
    const len = seriesByRevision[names[0]] ? seriesByRevision[names[0]].length : 0;
    const base = new Array(len).fill(0);
    for (const name of names) {
      const arr = seriesByRevision[name];
      g.beginPath();
      for (let i = 0; i < len; i++) { const x = pad + (w - pad) * (n - len + i) / (n - 1); g.lineTo(x, 4 + (hgt - 14) * (1 - (base[i] + (arr[i] || 0)) / max)); }
      for (let i = len - 1; i >= 0; i--) { const x = pad + (w - pad) * (n - len + i) / (n - 1); g.lineTo(x, 4 + (hgt - 14) * (1 - base[i] / max)); }
      g.closePath(); g.fillStyle = color(service, name); g.globalAlpha = 0.75; g.fill(); g.globalAlpha = 1;
      for (let i = 0; i < len; i++) base[i] += arr[i] || 0;
    }
    return;
  }
  for (const name of names) {
    const arr = seriesByRevision[name];
    g.strokeStyle = color(service, name); g.lineWidth = 2; g.beginPath();
    let started = false;
    arr.forEach((v, i) => {
      if (v === null) { started = false; return; }
      const x = pad + (w - pad) * (n - arr.length + i) / (n - 1), y = 4 + (hgt - 14) * (1 - v / max);
      if (started) g.lineTo(x, y); else { g.moveTo(x, y); started = true; }
    });
    g.stroke();
  }
}

function card(service) {
  let el = document.getElementById('svc-' + service.name);
  if (!el) {
    el = document.createElement('section');
    el.className = 'card'; el.id = 'svc-' + service.name;
    el.innerHTML = `<h2><span>${esc(service.name)}</span><span class="rollout"></span></h2>
      <div class="split"></div><div class="splitlabel"></div><div class="timeline"></div>
      <div class="charts">
        <div class="chart"><div class="title">Traffic split (effective, 5 min)</div><canvas data-k="split"></canvas></div>
        <div class="chart"><div class="title">Requests / s per revision</div><canvas data-k="rps"></canvas></div>
        <div class="chart"><div class="title">p99 latency per revision (ms)</div><canvas data-k="p99"></canvas></div>
        <div class="chart"><div class="title">Ready replicas per revision</div><canvas data-k="replicas"></canvas></div>
      </div>
      <table><thead><tr><th>revision</th><th>model</th><th>ready</th><th>weight</th><th>effective</th><th>rps</th><th>errors</th><th>p50</th><th>p99</th><th>batch</th><th>replicas</th></tr></thead><tbody></tbody></table>
      <div class="shadow"></div>`;
    document.getElementById('services').appendChild(el);
  }
  return el;
}

function render(frame) {
  const main = document.getElementById('services');
  if (main.firstElementChild && main.firstElementChild.tagName === 'P') main.innerHTML = '';
  document.getElementById('clock').textContent = new Date(frame.time).toLocaleTimeString();
  for (const s of frame.services) {
    const el = card(s), h = remember(s);
    const badge = el.querySelector('.rollout');
    badge.textContent = s.rollout; badge.className = 'rollout' + (s.rollout.startsWith('canary') ? ' canary' : '');
    el.querySelector('.split').innerHTML = s.revisions.filter(r => r.effective > 0).map(r =>
      `<div style="width:${(r.effective * 100).toFixed(2)}%;background:${color(s.name, r.name)}">${esc(r.name)} ${fmtPct(r.effective)}</div>`).join('');
    el.querySelector('.splitlabel').textContent = 'configured: ' + s.revisions.map(r => r.name + ' ' + r.weight + '%').join(' · ') + '  (stable: ' + s.stable + ')';
    el.querySelector('tbody').innerHTML = s.revisions.map(r => {
      const errClass = r.errorRatio > 0.05 ? 'bad' : r.errorRatio > 0.01 ? 'warn' : 'good';
      return `<tr><td><span class="swatch" style="background:${color(s.name, r.name)}"></span>${esc(r.name)}${r.name === s.stable ? ' <span class="muted">(stable)</span>' : ''}</td>
        <td class="muted">${esc(r.model)}</td><td class="${r.ready ? 'good' : 'bad'}">${r.ready ? 'yes' : 'no'}</td>
        <td>${r.weight}%</td><td>${fmtPct(r.effective)}</td><td>${(r.rps || 0).toFixed(1)}</td>
        <td class="${errClass}">${fmtPct(r.errorRatio || 0)}</td><td>${fmtMs(r.p50)}</td><td>${fmtMs(r.p99)}</td>
        <td>${r.batchMean === undefined ? '–' : r.batchMean.toFixed(1)}</td>
        <td>${r.scaleState === 'scaled-to-zero' ? '<span class="muted">scaled to zero</span>' : r.replicasReady === undefined ? '–' : r.replicasReady + ' / ' + r.replicasDesired}</td></tr>`;
    }).join('');
    el.querySelector('.shadow').innerHTML = s.shadowRevision ? 'Shadow: ' + esc(s.shadowRevision) + ' gets ' + s.shadowPercent + '% copies; ' +
      (s.shadows.length ? s.shadows.map(x => `${esc(x.primary)} vs ${esc(x.shadow)}: <b class="${x.agreement === undefined ? '' : x.agreement > 0.99 ? 'good' : x.agreement > 0.9 ? 'warn' : 'bad'}">${x.agreement === undefined ? 'no comparisons yet' : fmtPct(x.agreement) + ' agreement'}</b>`).join(' · ') : 'no comparisons yet') : '';
    timeline(s.name, el);
    el.querySelectorAll('canvas').forEach(c => {
      const k = c.dataset.k;
      drawChart(c, s.name, h[k], k === 'split' ? {stacked: true, max: 1, label: v => Math.round(v * 100) + '%'}
        : {label: v => k === 'rps' || k === 'replicas' ? v.toFixed(0) : v.toFixed(v < 10 ? 1 : 0)});
    });
  }
}

// The rollout's decision log beside the split, read from the same admin API the CLI uses
// (GET /admin/services/{s}/rollout); a service without a rollout answers 404 and shows nothing.
const rollouts = {};  // service -> {at: ms of the last fetch}
function timeline(service, el) {
  const r = rollouts[service] || (rollouts[service] = {at: 0});
  if (Date.now() - r.at < 2000) return;
  r.at = Date.now();
  fetch('/admin/services/' + encodeURIComponent(service) + '/rollout').then(resp => resp.ok ? resp.json() : null).then(view => {
    const box = el.querySelector('.timeline');
    if (!view) { box.innerHTML = ''; return; }
    const st = view.state, entries = st.log.entries.slice(-12).reverse();
    box.innerHTML = `<div class="title">Rollout ${esc(st.baseline)} → ${esc(st.candidate)}: <b>${esc(st.phase)}</b>` +
      ` · candidate ${st.traffic['candidate-weight']}%${st.reason ? ' · ' + esc(st.reason) : ''}</div>` +
      entries.map(e => {
        const cls = /^FAIL|rolled back/.test(e.message) ? 'bad' : /^INCONCLUSIVE|inconclusive|paused/.test(e.message) ? 'warn' : /^PASS|promoted/.test(e.message) ? 'good' : '';
        return `<div class="entry"><span class="muted">${new Date(e.at).toLocaleTimeString()}</span> <span class="kind">${esc(e.kind)}</span> <span class="${cls}">${esc(e.message)}</span></div>`;
      }).join('');
  }).catch(() => {});
}

function connect() {
  const status = document.getElementById('status');
  const source = new EventSource('/dashboard/events');
  source.addEventListener('frame', e => { status.textContent = 'live'; status.className = 'pill on'; render(JSON.parse(e.data)); });
  source.onerror = () => { status.textContent = 'reconnecting…'; status.className = 'pill off'; };
}
connect();
