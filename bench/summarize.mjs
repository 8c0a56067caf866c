// Summarizes the JSON results of bench/compare.sh (one `natter bench --json` file per target,
// rate and run, named <target>-<rate>-<run>.json) into Markdown tables: per run, medians per
// target and rate, Natter's ratios to each peer, and the highest rate each target sustained.
// Usage: node bench/summarize.mjs <results-dir> "<targets>" "<rates>" [p99-limit-ms=100]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, targetList, rateList, limitArg] = process.argv.slice(2);
if (!dir || !targetList || !rateList) {
  console.error('usage: node bench/summarize.mjs <results-dir> "<targets>" "<rates>" [p99-limit-ms]');
  process.exit(2);
}
const targets = targetList.trim().split(/\s+/);
const rates = rateList.trim().split(/\s+/).map(Number);
const limit = Number(limitArg ?? 100);

const results = [];
for (const name of readdirSync(dir)) {
  const m = name.match(/^(.+)-(\d+)-(\d+)\.json$/);
  if (!m) continue;
  const r = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  results.push({ target: m[1], rate: Number(m[2]), run: Number(m[3]), r });
}

const median = (xs) => {
  const s = xs.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const ms = (v) => (v == null ? '—' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
const int = (v) => (v == null ? '—' : Math.round(v).toLocaleString('en'));
const ratio = (a, b) => (a == null || b == null || b === 0 ? '—' : (a / b).toFixed(2));
const of = (target, rate) => results.filter((x) => x.target === target && x.rate === rate);

const out = [];
out.push('### Runs', '');
out.push('| run | deliveries/s asked | target | delivered/s | not delivered | p50 | p99 | p99.9 | max | server CPU | server RSS | generator CPU |');
out.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const x of [...results].sort((a, b) => a.run - b.run || a.rate - b.rate || targets.indexOf(a.target) - targets.indexOf(b.target))) {
  const r = x.r;
  const l = r.latency ?? {};
  const s = r.serverProcess ?? {};
  out.push(`| ${x.run} | ${int(x.rate)} | ${x.target} | ${int(r.deliveriesPerSecond)} | ${int(r.notDelivered)} of ${int(r.expectedDeliveries)} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.max)} | ${s.cpuPercent == null ? '—' : s.cpuPercent.toFixed(0) + ' %'} | ${s.rssAfterKib == null ? '—' : int(s.rssAfterKib / 1024) + ' MB'} | ${r.generatorCpuPercent.toFixed(0)} % |`);
}

const med = {};
out.push('', '### Medians (latency in ms)', '');
out.push('| deliveries/s asked | target | runs | delivered/s | not delivered (sum) | p50 | p99 | p99.9 | max |');
out.push('|---|---|---|---|---|---|---|---|---|');
for (const rate of rates) {
  for (const t of targets) {
    const xs = of(t, rate);
    if (xs.length === 0) continue;
    const m = {
      runs: xs.length,
      delivered: median(xs.map((x) => x.r.deliveriesPerSecond)),
      missing: xs.reduce((a, x) => a + (x.r.notDelivered ?? 0), 0),
      p50: median(xs.map((x) => x.r.latency?.p50)),
      p99: median(xs.map((x) => x.r.latency?.p99)),
      p999: median(xs.map((x) => x.r.latency?.p999)),
      max: median(xs.map((x) => x.r.latency?.max)),
    };
    med[`${t}@${rate}`] = m;
    const bold = t === 'natter' ? '**' : '';
    out.push(`| ${int(rate)} | ${bold}${t}${bold} | ${m.runs} | ${int(m.delivered)} | ${int(m.missing)} | ${ms(m.p50)} | ${ms(m.p99)} | ${ms(m.p999)} | ${ms(m.max)} |`);
  }
}

const peers = targets.filter((t) => t !== 'natter');
if (targets.includes('natter') && peers.length > 0) {
  out.push('', "### Natter's ratios (Natter's median over the peer's; below 1: Natter is faster)", '');
  out.push('| deliveries/s asked | peer | p50 | p99 | p99.9 |');
  out.push('|---|---|---|---|---|');
  for (const rate of rates) {
    const n = med[`natter@${rate}`];
    for (const p of peers) {
      const m = med[`${p}@${rate}`];
      if (!n || !m) continue;
      out.push(`| ${int(rate)} | ${p} | ${ratio(n.p50, m.p50)} | ${ratio(n.p99, m.p99)} | ${ratio(n.p999, m.p999)} |`);
    }
  }
}

out.push('', `### Highest rate sustained (median p99 under ${limit} ms, every message delivered in every run)`, '');
out.push('| target | deliveries/s |');
out.push('|---|---|');
for (const t of targets) {
  let best = null;
  for (const rate of rates) {
    const m = med[`${t}@${rate}`];
    if (m && m.p99 != null && m.p99 < limit && m.missing === 0) best = Math.max(best ?? 0, rate);
  }
  out.push(`| ${t} | ${best == null ? `none of ${rates.map(int).join(', ')}` : int(best)} |`);
}

const text = out.join('\n') + '\n';
writeFileSync(join(dir, 'summary.md'), text);
process.stdout.write(text);
